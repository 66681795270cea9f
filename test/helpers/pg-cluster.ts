/**
 * A throwaway PostgreSQL cluster from Debian's binaries: initdb in a temp folder, a free 127.0.0.1 port, as the
 * `postgres` user when run as root, removed by stop(). The `pg` vitest project's globalSetup uses it with
 * durability off; the capacity bench (bench/switch/scale-driver.ts) with fsync on, as a server would run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:<port> (no database: append `/name`). */
  url: string;
  /** The postmaster's pid (its backends are its children). */
  pid(): number;
  stop(): void;
}

/** The newest installed PostgreSQL's bin folder, or undefined. */
export function pgBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/**
 * `durable`: fsync and full-page writes on, commits not waited for (synchronous_commit=off: the WAL writer
 * flushes within 200 ms, as SQLite's WAL with synchronous=NORMAL leaves its last commits to the next
 * checkpoint). Otherwise durability is off altogether (a test cluster lives for one run).
 */
export async function startPgCluster(bin: string, opts: { durable?: boolean; serverOptions?: string } = {}): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-pg-'));
  const asRoot = process.getuid?.() === 0;
  // stdio 'ignore': the server pg_ctl starts would otherwise hold our pipes open, and execFileSync wait for them.
  const run = (cmd: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'ignore' }) : execFileSync(join(bin, cmd), args, { stdio: 'ignore' });
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const durability = opts.durable ? '-c synchronous_commit=off' : '-F -c synchronous_commit=off -c full_page_writes=off';
  const serverOpts = `-h 127.0.0.1 -p ${port} -k ${dir} ${durability} -c max_connections=300 ${opts.serverOptions ?? ''}`;
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', serverOpts, '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}`,
    pid: () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
    stop() {
      spawnSync(asRoot ? 'runuser' : join(bin, 'pg_ctl'), asRoot ? ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'] : ['-D', data, '-m', 'immediate', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

