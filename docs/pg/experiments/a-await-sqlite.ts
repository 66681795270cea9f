/**
 * Experiment (a)+(b), SQLite: are drizzle 0.45 better-sqlite3 builders awaitable, when does the SQL run,
 * can other work interleave an async transaction body, and what does drizzle's sync transaction() do
 * with an async callback?  Run: npx tsx docs/pg/experiments/a-await-sqlite.ts
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';

const t = sqliteTable('t', { id: text('id').primaryKey(), who: text('who').notNull() });
const raw = new Database(':memory:');
raw.exec('create table t (id text primary key, who text not null)');
const log: string[] = [];
const db = drizzle(raw, { logger: { logQuery: (q) => log.push(`sql: ${q.split(' ').slice(0, 2).join(' ')}`) } });

// (a1) awaitable? and does the statement run inside then(), i.e. synchronously at the await?
const q = db.select().from(t);
log.push('built');
const p = q.then((rows) => log.push(`resolved with ${rows.length} rows`));
log.push('then() returned');
await p;
console.log('(a1)', log.join(' | '));

// (a2) I/O and timer callbacks: can they run between the awaits of an async body made only of drizzle awaits?
log.length = 0;
setImmediate(() => log.push('setImmediate callback'));
setTimeout(() => log.push('timer callback'), 0);
raw.exec('begin immediate');
for (let i = 0; i < 100; i++) await db.insert(t).values({ id: `a${i}`, who: 'A' });
raw.exec('commit');
log.push('body done');
await new Promise((r) => setTimeout(r, 5));
console.log('(a2)', log.filter((l) => !l.startsWith('sql')).join(' | '));

// (a3) other async chains (microtasks) DO interleave: B's plain inserts land inside A's transaction and vanish with its rollback.
raw.exec('delete from t');
async function chainA() {
  raw.exec('begin immediate');
  try {
    await db.insert(t).values({ id: 'a1', who: 'A' });
    await db.insert(t).values({ id: 'a2', who: 'A' });
    await db.insert(t).values({ id: 'a3', who: 'A' });
    throw new Error('A fails');
  } catch {
    raw.exec('rollback');
  }
}
async function chainB() {
  await Promise.resolve(); // B was already running: one tick behind
  await db.insert(t).values({ id: 'b1', who: 'B (not in a transaction)' });
}
await Promise.all([chainA(), chainB()]);
console.log('(a3) rows after A rolled back:', raw.prepare('select count(*) n from t').get(), '(B inserted b1 and was told it succeeded)');

// (b1) drizzle's sync transaction() with an async callback
try {
  await db.transaction(async (tx) => {
    await tx.insert(t).values({ id: 'x', who: 'tx' });
  });
  console.log('(b1) accepted an async callback');
} catch (err) {
  console.log('(b1) refused:', (err as Error).constructor.name, (err as Error).message);
}
console.log('(b1) in transaction afterwards?', raw.inTransaction, 'row x:', raw.prepare(`select count(*) n from t where id='x'`).get());
void sql;
