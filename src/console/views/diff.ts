/** What changed between two published snapshots, section by section, in words a person reads. */

export interface SectionChange {
  section: string;
  /** "Added IVR Main menu", "Changed IVR Main menu: options.1.value", … */
  lines: string[];
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf paths where a and b differ (at most `max`). */
export function changedPaths(a: Json, b: Json, prefix = '', max = 20, out: string[] = []): string[] {
  if (out.length >= max) return out;
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) changedPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k, max, out);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => changedPaths(v, b[i], `${prefix}[${i}]`, max, out));
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push(prefix || '(value)');
  }
  return out;
}

const NOUN: Record<string, string> = { ivrs: 'menu', extensions: 'extension', queues: 'queue', agents: 'AI agent', dids: 'number', schedules: 'business hours' };

function nameOf(section: string, key: string, v: Json): string {
  if (isObject(v) && typeof v.name === 'string') return `${v.name}${section === 'ivrs' || section === 'agents' || section === 'schedules' ? '' : ` (${key})`}`;
  return key;
}

/** The changes from `before` (null: the first version) to `after`, for the sections that differ. */
export function diffSnapshots(before: Record<string, Json> | null, after: Record<string, Json>): SectionChange[] {
  const changes: SectionChange[] = [];
  const skip = new Set(['version', 'publishedAt', 'schema']);
  const sections = new Set([...Object.keys(before ?? {}), ...Object.keys(after)].filter((k) => !skip.has(k)));
  for (const section of sections) {
    const a = before?.[section];
    const b = after[section];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const lines: string[] = [];
    const noun = NOUN[section];
    if (noun && (isObject(a) || a === undefined) && isObject(b)) {
      const old = isObject(a) ? a : {};
      for (const k of Object.keys(b)) {
        if (!(k in old)) lines.push(`Added ${noun} ${nameOf(section, k, b[k])}`);
        else if (JSON.stringify(old[k]) !== JSON.stringify(b[k])) lines.push(`Changed ${noun} ${nameOf(section, k, b[k])}: ${changedPaths(old[k], b[k]).join(', ')}`);
      }
      for (const k of Object.keys(old)) if (!(k in b)) lines.push(`Removed ${noun} ${nameOf(section, k, old[k])}`);
    } else {
      lines.push(`${section}: ${changedPaths(a, b).join(', ') || 'changed'}`);
    }
    changes.push({ section, lines });
  }
  return changes;
}
