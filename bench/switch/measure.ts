/** What the switch benchmarks read between rungs: a process's CPU time, and the switch going idle. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { RunningSwitch } from './freeswitch.ts';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** User + system CPU of the whole process (every thread, live or exited), ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}

/**
 * CPU of a process and its children, ms: its own, its reaped children's (cutime + cstime) and its live
 * children's. For a PostgreSQL server: the postmaster and its backends, including those that ended.
 */
export function treeCpuMs(pid: number): number {
  const fields = (p: number | string): string[] | undefined => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    } catch {
      return undefined; // gone meanwhile
    }
  };
  const own = fields(pid);
  if (!own) return 0;
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = fields(entry);
    if (f && Number(f[1]) === pid) ticks += Number(f[11]) + Number(f[12]);
  }
  return (ticks * 1000) / CLK_TCK;
}

/** Waits until the switch has no channel (or `timeoutMs`); returns the count it saw last. */
export async function waitIdle(fs: RunningSwitch, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = /(\d+) total/.exec(fs.cli('show channels count'));
    const n = m ? Number(m[1]) : -1;
    if (n === 0 || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 500));
  }
}
