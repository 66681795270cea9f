/**
 * Hot-path latency: one call-log INSERT, synchronous (today) vs awaited through the async layer, on SQLite;
 * and the batched form the call log writer uses (src/call/call-log.ts: one transaction per batch).
 * PostgreSQL for reference when PG_URL is set. Run: [PG_URL=…] npx tsx docs/pg/experiments/d-bench-call-log.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../../../src/db/sqlite.ts';
import { callLogs } from '../../../src/db/schema/index.ts';
import { openPostgres } from '../../../src/db/postgres.ts';
import type { Db } from '../../../src/db/handle.ts';

const N = Number(process.env.N ?? 2048);
const INSERT = `insert into call_logs (id, call_uuid, org_id, direction, did, caller, caller_name, started_at, path, dtmf, created_at,
  contact_id, contact_name, contact_variables) values (?, ?, ?, ?, ?, ?, ?, ?, '[]', '', ?, ?, ?, ?)`;
const params = () => { const at = new Date().toISOString(); return [randomUUID(), randomUUID(), null, 'inbound', '+918065978001', '+919800000001', null, at, at, null, null, null]; };
const row = () => { const at = new Date().toISOString(); return { id: randomUUID(), callUuid: randomUUID(), did: '+918065978001', caller: '+919800000001', startedAt: at }; };

/** The variants run in turns, ROUNDS times, so machine load hits them alike; the median round is printed. */
const ROUNDS = Number(process.env.ROUNDS ?? 7);
async function compare(cases: [label: string, n: number, perCall: number, fn: () => unknown][]) {
  const results = cases.map(() => [] as number[]);
  for (const [, , , fn] of cases) for (let i = 0; i < 100; i++) await fn(); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, [, n, perCall, fn]] of cases.entries()) {
      const t0 = process.hrtime.bigint();
      for (let k = 0; k < n; k++) await fn();
      results[i]!.push(Number(process.hrtime.bigint() - t0) / 1000 / (n * perCall));
    }
  }
  for (const [i, [label]] of cases.entries()) {
    const sorted = results[i]!.sort((a, b) => a - b);
    console.log(`${label.padEnd(64)} ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1).padStart(7)} µs/row (min ${sorted[0]!.toFixed(1)})`);
  }
}

const dir = mkdtempSync('/tmp/sb-bench-');
const d = openDatabase(`${dir}/b.db`);
const stmt = d.sqlite.prepare(INSERT);
const gate = d.adb.driver.dialect === 'sqlite' ? d.adb.driver.gate : undefined;
console.log(`SQLite (WAL, synchronous=NORMAL), ${N} rows each`);
const batch = d.sqlite.transaction((rows: unknown[][]) => { for (const p of rows) stmt.run(...p); });
const B = 64;
await compare([
  ["sync prepared stmt.run, autocommit (today's raw statements)", N, 1, () => stmt.run(...params())],
  ['awaited gate.withRaw(stmt.run), autocommit', N, 1, () => gate!.withRaw(() => stmt.run(...params()))],
  ['sync drizzle better-sqlite3 insert().run(), autocommit (today)', N, 1, () => d.db.insert(callLogs).values(row()).run()],
  ['awaited drizzle insert on the async handle (sqlite-proxy + gate)', N, 1, () => d.adb.insert(d.adb.t.callLogs).values(row())],
  [`sync batch of ${B} in one transaction (the call log writer today)`, N / B, B, () => batch(Array.from({ length: B }, params))],
  [`awaited gate.withRaw(batch of ${B})`, N / B, B, () => gate!.withRaw(() => batch(Array.from({ length: B }, params)))],
]);
d.close();
rmSync(dir, { recursive: true, force: true });

if (process.env.PG_URL) {
  const pg = await openPostgres(process.env.PG_URL, { max: 4 });
  const db: Db = pg.adb;
  const pgInsert = INSERT.replace(/\?/g, (() => { let i = 0; return () => `$${++i}`; })());
  console.log(`PostgreSQL 15 (local, fsync off), ${N / 5} rows each`);
  await compare([
    ['awaited drizzle insert, autocommit', N / 5, 1, () => db.insert(db.t.callLogs).values(row())],
    ['awaited pool.query, named prepared statement, autocommit', N / 5, 1, () => pg.pool.query({ name: 'ins', text: pgInsert, values: params() })],
    [`awaited drizzle multi-row insert of ${B}`, N / 5 / B, B, () => db.insert(db.t.callLogs).values(Array.from({ length: B }, row))],
  ]);
  await pg.close();
}
