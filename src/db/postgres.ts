import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as pgTables from './schema-pg/tables.ts';
import type { Db, Tables } from './handle.ts';

const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../db/migrations-pg');
/** pg_advisory_lock key: instances starting together apply the migrations one at a time. */
const MIGRATION_LOCK = 0x5b0a_4d01;

export interface PostgresDatabase {
  adb: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Connects to `url` (postgres://…), applies db/migrations-pg under an advisory lock, and returns the handle. */
export async function openPostgres(url: string, opts: { max?: number; onIdleError?: (err: Error) => void; migrate?: boolean } = {}): Promise<PostgresDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  // An idle pooled connection that fails (server restart, terminated backend) is dropped by the pool and
  // reported here; unhandled, it would end the process. main.ts logs it.
  pool.on('error', opts.onIdleError ?? (() => undefined));
  const { typeParity: _, ...tables } = pgTables;
  const db = drizzle(pool);
  // The lock is held on a connection of its own, outside the pool the migrator uses (a pool of one would deadlock).
  if (opts.migrate !== false) await migrateLocked(url, pool, db);
  const adb = Object.assign(db, { t: tables as Tables, driver: { dialect: 'postgres' as const, pool } }) as unknown as Db;
  return { adb, pool, close: () => pool.end() };
}

async function migrateLocked(url: string, pool: pg.Pool, db: Parameters<typeof migrate>[0]): Promise<void> {
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  } catch (err) {
    await pool.end();
    throw err;
  } finally {
    await lock.end(); // ends the session: the lock goes with it
  }
}
