import { sql, type SQL } from 'drizzle-orm';
import type { Table } from 'drizzle-orm';
import type { Db } from './handle.ts';

/**
 * Insertion order, the tie-breaker of lists: SQLite's rowid; on PostgreSQL the hidden `seq` identity
 * column that db/migrations-pg/0001_extras.sql adds to the tables listed there.
 */
export function insertionOrder(db: Db, table: Table): SQL {
  return db.driver.dialect === 'sqlite' ? sql`${table}.rowid` : sql`${table}."seq"`;
}

/** A unique index refused the write (SQLite's SQLITE_CONSTRAINT_UNIQUE, PostgreSQL's 23505). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  const code = e?.code ?? e?.cause?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
