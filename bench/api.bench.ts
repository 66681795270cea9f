import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { httpLoad, type LoadResult } from './load.ts';
import { printTable } from './table.ts';
import type { CompiledEntries } from './compiled.ts';

/** CPU time (user + system) a process has used so far, ms, from /proc (10 ms ticks); NaN elsewhere. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

interface Server { port: number; token: string; bytes: number; cpuMs: () => number; stop: () => void }

async function startServer(compiled: CompiledEntries, mode: 'app' | 'bare' | 'hono'): Promise<Server> {
  const child = spawn(process.execPath, [...compiled.entry('bench/api-server.ts'), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /READY (\d+) (\S+) (\d+)/.exec(buf);
      if (m) resolve({ port: Number(m[1]), token: m[2]!, bytes: Number(m[3]), cpuMs: () => cpuMsOf(child.pid), stop: () => child.kill('SIGKILL') });
    });
    child.on('exit', (code) => reject(new Error(`bench server exited ${code}`)));
  });
}

type Mode = 'app' | 'bare' | 'hono';

/**
 * Start all three servers, warm each up, then measure in interleaved rounds (bare, hono, app, bare, …)
 * and keep each server's median round: a busy 2-core machine then skews all three alike.
 */
type Measured = LoadResult & { bytes: number; cpuUsPerReq: number };

async function measureAll(compiled: CompiledEntries, seconds: number, rounds: number): Promise<Record<Mode, Measured>> {
  const modes: Mode[] = ['bare', 'hono', 'app'];
  const servers = await Promise.all(modes.map((m) => startServer(compiled, m)));
  try {
    const target = (i: number) => ({
      url: `http://127.0.0.1:${servers[i]!.port}/api/v1/ivrs`,
      headers: { authorization: `Bearer ${servers[i]!.token}` },
    });
    for (let i = 0; i < modes.length; i++) await httpLoad(target(i).url, { concurrency: 16, seconds: 1, headers: target(i).headers });
    const runs: Array<Array<LoadResult & { cpuUsPerReq: number }>> = modes.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < modes.length; i++) {
        const cpu0 = servers[i]!.cpuMs();
        const res = await httpLoad(target(i).url, { concurrency: 16, seconds, headers: target(i).headers });
        runs[i]!.push({ ...res, cpuUsPerReq: ((servers[i]!.cpuMs() - cpu0) * 1000) / Math.max(1, res.requests) });
      }
    }
    const median = <T extends LoadResult>(xs: T[]) => [...xs].sort((a, b) => a.rps - b.rps)[Math.floor(xs.length / 2)]!;
    const medianCpu = (xs: Array<{ cpuUsPerReq: number }>) => xs.map((x) => x.cpuUsPerReq).sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return Object.fromEntries(modes.map((m, i) => [m, { ...median(runs[i]!), cpuUsPerReq: medianCpu(runs[i]!), bytes: servers[i]!.bytes }])) as Record<Mode, Measured>;
  } finally {
    for (const s of servers) s.stop();
  }
}

/** GET /api/v1/ivrs (20 IVRs, JWT auth, real SQLite) against a bare node:http handler returning the same bytes; every server compiled by tsc. */
export async function benchApi(compiled: CompiledEntries, seconds = 2, rounds = 5): Promise<void> {
  const { bare, hono, app } = await measureAll(compiled, seconds, rounds);
  printTable(
    `API: GET /api/v1/ivrs (${app.bytes} B body, 16 keep-alive clients, median of ${rounds} interleaved ${seconds} s rounds; servers compiled by tsc, as npm start runs them)`,
    ['server', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'server CPU µs/req (median)', 'ratio vs baseline'],
    [
      ['baseline: bare node:http, same JSON', bare.rps, bare.p50Ms, bare.p99Ms, bare.errors, bare.cpuUsPerReq, 1],
      ['reference: Hono on node-server, same bytes, no auth/db', hono.rps, hono.p50Ms, hono.p99Ms, hono.errors, hono.cpuUsPerReq, hono.rps / bare.rps],
      ['switchboard API (auth + SQLite + JSON)', app.rps, app.p50Ms, app.p99Ms, app.errors, app.cpuUsPerReq, app.rps / bare.rps],
    ],
  );
  process.stdout.write(`target: ratio >= 0.70 → ${app.rps / bare.rps >= 0.7 ? 'met' : 'NOT met'} (${(app.rps / bare.rps).toFixed(2)})\n`);
}
