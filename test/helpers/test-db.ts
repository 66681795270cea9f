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
  close(): Promise<void>;
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

// One database per test file (vitest evaluates this module once per file): CREATE DATABASE costs
// 0.3–1.5 s on a busy machine, emptying every table about 10 ms.
let fileDatabase: Promise<{ url: string; tables: string[] }> | undefined;

async function createFileDatabase(admin: string): Promise<{ url: string; tables: string[] }> {
  const name = `sb_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: withDatabase(admin, 'postgres') });
  await client.connect();
  try {
    await client.query(`create database ${name} template ${PG_TEMPLATE}`);
  } finally {
    await client.end();
  }
  const url = withDatabase(admin, name);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ t: string }>(`select tablename as t from pg_tables where schemaname = 'public' order by 1`);
    return { url, tables: rows.map((r) => r.t) };
  } finally {
    await c.end();
  }
}

/**
 * An empty database for one test: the test file's database (copied from the migrated template on first
 * use), every table emptied. close() ends this test's pool; the databases go with
 * the cluster (or are dropped by the globalSetup's teardown on TEST_DATABASE_URL).
 */
export async function createPgTestDatabase(seed?: PgSnapshot): Promise<PgTestDatabase> {
  const admin = inject('pgUrl');
  if (!admin) throw new Error('no PostgreSQL test cluster: run the `pg` vitest project');
  fileDatabase ??= createFileDatabase(admin);
  const { url, tables } = await fileDatabase;
  const { adb, pool, close } = await openPostgres(url, { max: 4, migrate: false });
  // DELETE with foreign-key triggers off (a superuser's session_replication_role): ~10 ms; TRUNCATE ~70–300 ms.
  await pool.query(`begin; set local session_replication_role = replica; ${tables.map((t) => `delete from "${t}";`).join(' ')} commit`);
  if (seed) await restorePgSnapshot(pool, seed);
  return { adb, pool, url, close };
}

/** Every row of a test database, per table as JSON text: a world built once and restored before each test. */
export interface PgSnapshot {
  tables: Array<{ name: string; rows: string }>;
}

/** The rows of every non-empty table of the database behind `pool` (seq columns and the feed's rows included). */
export async function snapshotPgDatabase(pool: pg.Pool): Promise<PgSnapshot> {
  const { rows: names } = await pool.query<{ t: string }>(`select tablename as t from pg_tables where schemaname = 'public' order by 1`);
  const tables: PgSnapshot['tables'] = [];
  for (const { t } of names) {
    const { rows } = await pool.query<{ j: string | null }>(`select json_agg(x)::text as j from "${t}" x`);
    if (rows[0]?.j) tables.push({ name: t, rows: rows[0].j });
  }
  return { tables };
}

/**
 * Puts a snapshot's rows back into the (emptied) database: triggers and foreign keys off as when emptying
 * (the snapshot holds what the triggers wrote), identity values as saved. The sequences are not reset: the
 * snapshot was taken on this file's database, whose sequences are past its values already.
 */
async function restorePgSnapshot(pool: pg.Pool, seed: PgSnapshot): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin; set local session_replication_role = replica');
    for (const { name, rows } of seed.tables) {
      await client.query(`insert into "${name}" overriding system value select * from json_populate_recordset(null::"${name}", $1::json)`, [rows]);
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    client.release();
  }
}

/** Stands in for the raw SQLite connection on PostgreSQL: a test that reaches for it fails saying so. */
export function notOnPostgres<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get(_t, prop) {
      throw new Error(`${what}.${String(prop)}: the raw SQLite connection: this check is SQLite-only (skip it on PostgreSQL)`);
    },
  });
}
