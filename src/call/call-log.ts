import type Database from 'better-sqlite3';
import type { Db } from '../db/handle.ts';
import { createBatchQueue } from '../db/batch-queue.ts';
import type { Logger } from '../runtime/logger.ts';
import type { CallLogWriter } from './session.ts';
import { callDurationS } from '../domain/call-duration.ts';

/**
 * Writes call_logs rows for the controller. The row is inserted when the call arrives (so a crash
 * mid-call still leaves a trace) and finished from the runner's teardown. Writes from all calls are
 * batched: queued, then written together in one transaction with statements prepared once — one WAL
 * commit for many calls instead of two per call. A batch is written `flushMs` after its first write
 * (tens of ms: under load that gathers tens of calls per commit, and the table's and indexes' last
 * pages are written once for all of them) or at once when `maxBatch` writes are waiting. The final
 * update finds its row by its id (the primary key). SQLite: a batch is one synchronous transaction in
 * the connection gate's turn (same cost as before). PostgreSQL: one transaction of at most two
 * statements (every insert of the batch in one, every finish in the other).
 */
export interface CallLogWriterOptions {
  /** How long the first queued write waits for others (default 25 ms). */
  readonly flushMs?: number;
  /** Written without waiting once this many writes are queued (default 256). */
  readonly maxBatch?: number;
  /** How long each batch's transaction took (metrics: two clock reads per batch, not per call). */
  readonly onBatch?: (seconds: number) => void;
}

export interface BatchedCallLogWriter extends CallLogWriter {
  /** Writes the queued rows now, without waiting for the batch (what a test waits on instead of a sleep). */
  flush(): Promise<void>;
}

type Op = { sql: 'insert'; params: unknown[] } | { sql: 'finish'; params: unknown[]; done: () => void };

const INSERT = `insert into call_logs (id, call_uuid, switch_id, org_id, direction, did, caller, caller_name, started_at, path, dtmf, created_at,
  contact_id, contact_name, contact_variables)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', '', ?, ?, ?, ?)`;
const SET = `update call_logs set answered_at = ?, ended_at = ?, duration_s = ?, path = ?, dtmf = ?, disposition = ?,
  left_at = ?, answered_by = ?, hangup_cause = ?, snapshot_version = ?`;
const FINISH = `${SET} where id = ?`;

/**
 * PostgreSQL: each kind of write of a batch is ONE statement of fixed text (a named prepared statement
 * whatever the batch size): the rows travel as one array per column and `unnest` turns them back into rows.
 * The parameters are in the same order as the SQLite statements'.
 */
const PG_INSERT = `insert into call_logs (id, call_uuid, switch_id, org_id, direction, did, caller, caller_name, started_at, path, dtmf, created_at,
  contact_id, contact_name, contact_variables)
  select id, call_uuid, switch_id, org_id, direction, did, caller, caller_name, started_at, '[]'::jsonb, '', created_at, contact_id, contact_name, contact_variables
  from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::jsonb[])
    as v(id, call_uuid, switch_id, org_id, direction, did, caller, caller_name, started_at, created_at, contact_id, contact_name, contact_variables)`;
const PG_FINISH = `update call_logs l set answered_at = v.answered_at, ended_at = v.ended_at, duration_s = v.duration_s, path = v.path, dtmf = v.dtmf,
  disposition = v.disposition, left_at = v.left_at, answered_by = v.answered_by, hangup_cause = v.hangup_cause, snapshot_version = v.snapshot_version
  from unnest($1::text[], $2::text[], $3::bigint[], $4::jsonb[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[])
    as v(answered_at, ended_at, duration_s, path, dtmf, disposition, left_at, answered_by, hangup_cause, snapshot_version, id)
  where l.id = v.id`;

/** The parameter rows as one array per column (`width` columns). */
function columns(rows: unknown[][], width: number): unknown[][] {
  const out: unknown[][] = Array.from({ length: width }, () => []);
  for (const r of rows) for (let i = 0; i < width; i++) out[i]!.push(r[i] ?? null);
  return out;
}

/** Writes one batch (in one transaction), or throws having written nothing. */
type WriteBatch = (ops: Op[]) => Promise<void>;

function batchWriter(db: Db): WriteBatch {
  const { driver } = db;
  if (driver.dialect === 'sqlite') {
    // The statements prepared once, and each batch one synchronous transaction in the connection's turn.
    let write: ((ops: Op[]) => void) | undefined;
    const prepare = (raw: Database.Database) => {
      const insert = raw.prepare(INSERT);
      const finish = raw.prepare(FINISH);
      return raw.transaction((ops: Op[]) => {
        for (const op of ops) (op.sql === 'insert' ? insert : finish).run(...op.params);
      });
    };
    return (ops) => driver.gate.withRaw((raw) => (write ??= prepare(raw))(ops));
  }
  return async (ops) => {
    const inserts = ops.filter((op) => op.sql === 'insert').map((op) => op.params);
    const finishes = ops.filter((op) => op.sql === 'finish').map((op) => op.params);
    // A call's insert is queued before its finish, in this batch or an earlier one: inserts first.
    const statements = [
      ...(inserts.length ? [{ name: 'call_log_insert', text: PG_INSERT, values: columns(inserts, 13) }] : []),
      ...(finishes.length ? [{ name: 'call_log_finish', text: PG_FINISH, values: columns(finishes, 11) }] : []),
    ];
    if (statements.length === 1) {
      await driver.pool.query(statements[0]!);
      return;
    }
    const client = await driver.pool.connect();
    try {
      await client.query('begin');
      for (const q of statements) await client.query(q);
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
}

export function createCallLogWriter(db: Db, logger: Logger, options: CallLogWriterOptions = {}): BatchedCallLogWriter {
  const write = batchWriter(db);

  const writeBatch = async (ops: Op[]): Promise<void> => {
    const started = performance.now();
    try {
      await write(ops);
      options.onBatch?.((performance.now() - started) / 1000);
    } catch (err) {
      // One bad row must not lose the others: retry them one by one.
      logger.error({ err, rows: ops.length }, 'call log batch failed; writing rows one by one');
      for (const op of ops) {
        try {
          await write([op]);
        } catch (e) {
          logger.error({ err: e }, 'call log write failed');
        }
      }
    }
    for (const op of ops) if (op.sql === 'finish') op.done();
  };

  // One batch at a time, in queue order: a finish must never overtake its call's insert (PostgreSQL writes
  // batches on pooled connections). A batch queued while none is being written starts at once (on SQLite,
  // with the connection free, it is written synchronously, as before).
  let last: Promise<void> = Promise.resolve();
  let writing = 0;
  const flush = (): Promise<void> => {
    const ops = queue.take();
    if (ops.length === 0) return last;
    const run = () => writeBatch(ops).finally(() => void writing--);
    last = writing++ === 0 ? run() : last.then(run);
    return last;
  };

  const queue = createBatchQueue<Op>(() => void flush(), { flushMs: options.flushMs ?? 25, maxBatch: options.maxBatch ?? 256 });
  const enqueue = (op: Op) => queue.push(op);
  return {
    flush,
    start(s, startedAt) {
      const c = s.contact;
      enqueue({
        sql: 'insert',
        params: [
          s.callId, s.uuid, s.switchId, s.orgId, s.masking ? 'masking' : 'inbound', s.did, s.caller, s.masking ? null : s.channel.callerIdName || null, startedAt, startedAt,
          c?.id ?? null, c?.name ?? null, c ? JSON.stringify(c.variables) : null,
        ],
      });
    },
    finish(s, startedAt, endedAt, hangupCause) {
      const r = s.record;
      const duration = callDurationS(startedAt, endedAt);
      return new Promise((resolve) =>
        enqueue({
          sql: 'finish',
          params: [r.answeredAt, endedAt, duration, JSON.stringify(r.path), r.dtmf, r.disposition, s.stage, r.answeredBy, hangupCause, s.snapshot?.version ?? null, s.callId],
          done: resolve,
        }),
      );
    },
  };
}
