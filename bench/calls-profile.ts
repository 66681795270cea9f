/**
 * Summarises a V8 .cpuprofile taken over a measured window: time per `file:function`, self and
 * inclusive, per call. Used when BENCH_CPU_PROF is set, to name the controller's hot spots.
 */
import { readFileSync } from 'node:fs';
import { printTable } from './table.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function label(n: ProfileNode): string {
  const url = n.callFrame.url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\//, '')
    .replace(`${process.cwd()}/`, '')
    .replace(/^\.bench-dist\//, '')
    .replace(/\?.*$/, '');
  const fn = n.callFrame.functionName || '(anonymous)';
  return url ? `${url}:${fn}` : fn;
}

export function printProfile(file: string, calls: number, top = 25): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    const dt = p.timeDeltas[i] ?? 0;
    const node = byId.get(id)!;
    const key = label(node);
    total += dt;
    if (key === '(idle)') idle += dt;
    self.set(key, (self.get(key) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = label(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + dt);
    }
  }
  const busy = total - idle;
  const rows = (m: Map<string, number>, keep: (k: string) => boolean) =>
    [...m]
      .filter(([k]) => keep(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => [k, us / calls, (100 * us) / busy]);
  process.stdout.write(`\nprofile ${file}: ${(busy / 1000).toFixed(0)} ms busy + ${(idle / 1000).toFixed(0)} ms idle over ${calls} calls → ${(busy / calls).toFixed(0)} µs/call\n`);
  printTable('Controller CPU profile: self time (top functions)', ['file:function', 'self µs/call', '% of busy'], rows(self, (k) => k !== '(idle)' && k !== '(root)'));
  printTable(
    'Controller CPU profile: inclusive time (project code and storage)',
    ['file:function', 'incl. µs/call', '% of busy'],
    rows(incl, (k) => k.startsWith('src/') || k.startsWith('drizzle-orm/') || k.startsWith('better-sqlite3/') || k === '(garbage collector)'),
  );
}
