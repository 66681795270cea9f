/**
 * Which database a test file runs on, and a fresh PostgreSQL database for one test. The `pg` vitest
 * project (test/helpers/pg-global-setup.ts) provides `pgUrl`; the other projects do not, and run on SQLite.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openPostgres } from '../../src/db/postgres.ts';
import type { Db } from '../../src/db/handle.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the test cluster (no database path); set only in the `pg` project. */
    pgUrl: string | undefined;
  }
}

export type TestDialect = 'sqlite' | 'postgres';
/** The database the migrated template lives in: test databases are copies of it. */
export const PG_TEMPLATE = 'sb_template';

export const testDialect = (): TestDialect => (inject('pgUrl') ? 'postgres' : 'sqlite');

export interface PgTestDatabase {
  adb: Db;
  pool: pg.Pool;
  url: string;
  drop(): Promise<void>;
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/** A new database copied from the migrated template (about 20 ms), dropped by drop(). */
export async function createPgTestDatabase(): Promise<PgTestDatabase> {
  const admin = inject('pgUrl');
  if (!admin) throw new Error('no PostgreSQL test cluster: run the `pg` vitest project');
  const name = `sb_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: withDatabase(admin, 'postgres') });
  await client.connect();
  try {
    await client.query(`create database ${name} template ${PG_TEMPLATE}`);
  } finally {
    await client.end();
  }
  const url = withDatabase(admin, name);
  const { adb, pool, close } = await openPostgres(url, { max: 4 });
  return {
    adb,
    pool,
    url,
    async drop() {
      await close();
      const c = new pg.Client({ connectionString: withDatabase(admin, 'postgres') });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Stands in for the synchronous SQLite handles on PostgreSQL: code not converted yet fails saying so. */
export function notOnPostgres<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get(_t, prop) {
      throw new Error(`${what}.${String(prop)}: SQLite-only (not converted to the async handle yet); this test cannot run on PostgreSQL`);
    },
  });
}
