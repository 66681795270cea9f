/**
 * The async data layer both databases share (docs/postgres.md). Code is typed against drizzle's
 * PostgreSQL builders and the PostgreSQL tables (`db.t`), awaits every query, and gets on SQLite the same
 * calls over the SQLite tables: the two table sets have equal row types (checked at compile time in
 * schema-pg/tables.ts), and SQLite runs every suite, so a PostgreSQL-only builder used by mistake fails
 * there at once. `transaction` is the one way to open a transaction (drizzle's own is left out of the type:
 * on SQLite it must hold the connection's gate).
 */
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { SqliteRemoteDatabase } from 'drizzle-orm/sqlite-proxy';
import type { Pool } from 'pg';
import type * as pgTables from './schema-pg/tables.ts';
import type { SqliteGate } from './sqlite-gate.ts';

export type Tables = Omit<typeof pgTables, 'typeParity'>;
export type Dialect = 'sqlite' | 'postgres';

/** The driver under a handle, for the few dialect-specific queries (hot paths, claims, JSON building). */
export type DbDriver = { dialect: 'sqlite'; gate: SqliteGate } | { dialect: 'postgres'; pool: Pool };

export interface DbExtras {
  /** The tables of this database's dialect, typed as the PostgreSQL ones. */
  readonly t: Tables;
  readonly driver: DbDriver;
}

export type Db = Omit<NodePgDatabase, 'transaction' | '$client'> & DbExtras;

type AnyTx = { transaction<T>(fn: (tx: never) => Promise<T>, config?: unknown): Promise<T> };

/**
 * Runs `fn` in a transaction (a savepoint when `db` is one already): committed when it resolves, rolled
 * back when it throws. SQLite: BEGIN IMMEDIATE, holding the connection until COMMIT, so nothing else runs
 * inside it. PostgreSQL: a pooled connection of its own (READ COMMITTED; claim rows with FOR UPDATE).
 */
export function transaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const inner = db as unknown as AnyTx;
  const wrap = (tx: never) => fn(Object.assign(tx as object, { t: db.t, driver: db.driver }) as Db);
  if (db.driver.dialect === 'postgres') return inner.transaction(wrap);
  return db.driver.gate.exclusive(() => inner.transaction(wrap, { behavior: 'immediate' }));
}

/** Rows an UPDATE or DELETE without RETURNING touched (node-postgres's rowCount; the SQLite gate says the same). */
export function affectedRows(result: { rowCount: number | null }): number {
  return result.rowCount ?? 0;
}

/** Ascertains the handle really is SQLite-backed, for tests and dialect-specific code. */
export function sqliteDb(db: Db): SqliteRemoteDatabase {
  if (db.driver.dialect !== 'sqlite') throw new Error('not a SQLite database');
  return db as unknown as SqliteRemoteDatabase;
}
