/**
 * globalSetup of the `pg` vitest project: a PostgreSQL cluster for the run, and the migrated template
 * database every test copies. TEST_DATABASE_URL (postgres://user@host:port, a superuser) uses a running
 * server; otherwise a throwaway cluster is made with initdb in a temp folder on a free 127.0.0.1 port
 * (as the `postgres` user when run as root) and removed afterwards.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../src/db/postgres.ts';
import { PG_TEMPLATE } from './test-db.ts';

function pgBin(): string | undefined {
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

async function startCluster(bin: string): Promise<{ url: string; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-pg-'));
  const asRoot = process.getuid?.() === 0;
  // stdio 'ignore': the server pg_ctl starts would otherwise hold our pipes open, and execFileSync wait for them.
  const run = (cmd: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'ignore' }) : execFileSync(join(bin, cmd), args, { stdio: 'ignore' });
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  // Durability off: a test cluster lives for one run.
  const opts = `-h 127.0.0.1 -p ${port} -k ${dir} -F -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', opts, '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}`,
    stop() {
      spawnSync(asRoot ? 'runuser' : join(bin, 'pg_ctl'), asRoot ? ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'] : ['-D', data, '-m', 'immediate', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export default async function setup(project: TestProject): Promise<(() => void | Promise<void>) | undefined> {
  let url = process.env.TEST_DATABASE_URL;
  let stop: (() => void) | undefined;
  if (!url) {
    const bin = pgBin();
    // vitest.config.ts leaves the project out where PostgreSQL is missing, except under CI: there it must be.
    if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql): the pg project cannot run');
    ({ url, stop } = await startCluster(bin));
  }
  const admin = new pg.Client({ connectionString: `${url}/postgres` });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${PG_TEMPLATE} with (force)`);
    await admin.query(`create database ${PG_TEMPLATE}`);
  } finally {
    await admin.end();
  }
  const template = await openPostgres(`${url}/${PG_TEMPLATE}`, { max: 1 });
  await template.close();
  project.provide('pgUrl', url);
  if (stop) return stop;
  // A server of the caller's: drop the test files' databases (test-db.ts) afterwards.
  const server = url;
  return async () => {
    const c = new pg.Client({ connectionString: `${server}/postgres` });
    await c.connect();
    try {
      const { rows } = await c.query<{ d: string }>(`select datname as d from pg_database where datname like 'sb_t_%'`);
      for (const { d } of rows) await c.query(`drop database if exists ${d} with (force)`);
    } finally {
      await c.end();
    }
  };
}
