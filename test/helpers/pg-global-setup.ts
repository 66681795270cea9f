/**
 * globalSetup of the `pg` vitest project: a PostgreSQL cluster for the run, and the migrated template
 * database every test copies. TEST_DATABASE_URL (postgres://user@host:port, a superuser) uses a running
 * server; otherwise a throwaway cluster is made with initdb in a temp folder on a free 127.0.0.1 port
 * (as the `postgres` user when run as root) and removed afterwards.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../src/db/postgres.ts';
import { pgBin, startPgCluster } from './pg-cluster.ts';
import { PG_TEMPLATE } from './test-db.ts';

export default async function setup(project: TestProject): Promise<(() => void | Promise<void>) | undefined> {
  let url = process.env.TEST_DATABASE_URL;
  let stop: (() => void) | undefined;
  if (!url) {
    const bin = pgBin();
    // vitest.config.ts leaves the project out where PostgreSQL is missing, except under CI: there it must be.
    if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql): the pg project cannot run');
    ({ url, stop } = await startPgCluster(bin));
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
