/**
 * Experiment (c): one set of query code for both databases. Type-check: npx tsc -p docs/pg/experiments
 * (the @ts-expect-error lines are the evidence: each one must be an error). Runtime part:
 * PG_URL=… npx tsx docs/pg/experiments/c-typing.ts
 */
import { mkdtempSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../../src/db/handle.ts';
import { openDatabase } from '../../../src/db/sqlite.ts';
import { openPostgres } from '../../../src/db/postgres.ts';
import * as sqliteSchema from '../../../src/db/schema/index.ts';

/** Chosen (B2): typed against drizzle's PostgreSQL builders and `db.t` (PostgreSQL tables at the type level). */
export async function chosen(db: Db) {
  const { ivrs } = db.t;
  const rows = await db.select().from(ivrs).where(eq(ivrs.orgId, 'o')).limit(1); // the one way: await the builder
  const first: (typeof rows)[number] | undefined = rows[0];
  // @ts-expect-error .get() is SQLite-only: the PostgreSQL typing refuses it everywhere
  db.select().from(ivrs).get();
  // @ts-expect-error .run() likewise
  db.delete(ivrs).run();
  // @ts-expect-error a table object of the other dialect is refused
  await db.select().from(sqliteSchema.ivrs);
  // @ts-expect-error drizzle's own transaction() is hidden: transaction(db, fn) holds SQLite's gate
  await db.transaction(async () => undefined);
  // PostgreSQL-only builders compile (FOR UPDATE SKIP LOCKED): they belong in dialect-specific modules,
  // and the SQLite suites (every suite) fail at once where one slips into shared code.
  void db.select().from(ivrs).for('update', { skipLocked: true });
  return first;
}

/** Alternative B1: typed against SQLite's async builders; SQLite-only calls compile and fail on PostgreSQL only. */
export async function sqliteTyped(db: BaseSQLiteDatabase<'async', unknown>) {
  return db.select().from(sqliteSchema.ivrs).get(); // compiles; PostgreSQL at run time: .get is not a function
}

if (process.argv[1]?.endsWith('c-typing.ts')) {
  const sqlite = openDatabase(`${mkdtempSync('/tmp/sb-exp-')}/c.db`);
  const probe = (db: Db) => {
    const q = db.select().from(db.t.ivrs) as unknown as Record<string, unknown>;
    return { get: typeof q.get, all: typeof q.all, for: typeof q.for, then: typeof q.then };
  };
  console.log('SQLite handle builder methods:', probe(sqlite.adb));
  if (process.env.PG_URL) {
    const pg = await openPostgres(process.env.PG_URL);
    console.log('PostgreSQL handle builder methods:', probe(pg.adb));
    await pg.close();
  }
  sqlite.close();
}
