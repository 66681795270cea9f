import { spawn } from 'node:child_process';
import { httpLoad, type LoadResult } from './load.ts';
import { printTable } from './table.ts';

async function startServer(mode: 'app' | 'bare'): Promise<{ port: number; token: string; bytes: number; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/api-server.ts', mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /READY (\d+) (\S+) (\d+)/.exec(buf);
      if (m) resolve({ port: Number(m[1]), token: m[2]!, bytes: Number(m[3]), stop: () => child.kill('SIGKILL') });
    });
    child.on('exit', (code) => reject(new Error(`bench server exited ${code}`)));
  });
}

async function measure(mode: 'app' | 'bare', seconds: number): Promise<LoadResult & { bytes: number }> {
  const s = await startServer(mode);
  try {
    const url = `http://127.0.0.1:${s.port}/api/v1/ivrs`;
    const headers = { authorization: `Bearer ${s.token}` };
    await httpLoad(url, { concurrency: 16, seconds: 1, headers }); // warm-up
    return { ...(await httpLoad(url, { concurrency: 16, seconds, headers })), bytes: s.bytes };
  } finally {
    s.stop();
  }
}

/** GET /api/v1/ivrs (20 IVRs, JWT auth, real SQLite) against a bare node:http handler returning the same bytes. */
export async function benchApi(seconds = 5): Promise<void> {
  const bare = await measure('bare', seconds);
  const app = await measure('app', seconds);
  printTable(
    `API: GET /api/v1/ivrs (${app.bytes} B body, 16 keep-alive clients, ${seconds} s each)`,
    ['server', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'ratio vs baseline'],
    [
      ['baseline: bare node:http, same JSON', bare.rps, bare.p50Ms, bare.p99Ms, bare.errors, 1],
      ['switchboard API (auth + SQLite + JSON)', app.rps, app.p50Ms, app.p99Ms, app.errors, app.rps / bare.rps],
    ],
  );
  process.stdout.write(`target: ratio >= 0.70 → ${app.rps / bare.rps >= 0.7 ? 'met' : 'NOT met'}\n`);
}
