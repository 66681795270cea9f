import type { SimulationEvent, SimulationResult } from './types.ts';

/** A simulation as text, one line per event (npm run simulate). */
export function formatSimulation(r: SimulationResult): string[] {
  const where = r.did ?? `IVR ${r.ivrId ?? '?'}`;
  const source = r.version === null ? r.source : `${r.source} version ${r.version}`;
  const lines = [`${where} (${source})`];
  for (const p of r.problems) lines.push(`  problem   ${p.message}`);
  for (const e of r.events) lines.push(`  ${e.type.padEnd(8)}  ${describe(e)}`);
  if (r.unusedKeys.length > 0) lines.push(`  unused keys: ${r.unusedKeys.join(', ')}`);
  return lines;
}

function describe(e: SimulationEvent): string {
  switch (e.type) {
    case 'menu':
      return `${e.name} (${e.ivrId})`;
    case 'prompt':
      return `${e.name}  ${e.file}${e.text !== undefined ? `  "${e.text}"` : ''}`;
    case 'input': {
      const taken = e.digits === e.keys ? e.keys : `${e.keys} (taken: ${e.digits || 'nothing'})`;
      return e.accepted ? `${taken} → ${e.action ?? 'accepted'}${e.destination ? ` ${e.destination}` : ''}` : `${taken} rejected`;
    }
    case 'timeout':
      return `no input ${e.count}/${e.max}${e.exhausted ? ': the timeout rule fires' : ''}`;
    case 'invalid':
      return `${e.digits} ${e.count}/${e.max}${e.exhausted ? ': the invalid rule fires' : ''}`;
    case 'action':
      return `${e.action}${e.destination ? ` ${e.destination}` : ''}${e.result !== undefined ? `: ${e.result}` : ''}`;
    case 'end':
      return `${e.kind}${e.destination ? ` ${e.destination}` : ''}: ${e.outcome} (left at ${e.leftAt}${e.cause ? `, ${e.cause}` : ''})`;
  }
}
