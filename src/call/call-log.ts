import { sqliteOf, type Db } from '../db/client.ts';
import { createBatchQueue } from '../db/batch-queue.ts';
import type { Logger } from '../runtime/logger.ts';
import type { CallLogWriter } from './session.ts';

/**
 * Writes call_logs rows for the controller. The row is inserted when the call arrives (so a crash
 * mid-call still leaves a trace) and finished from the runner's teardown. Writes from all calls are
 * batched: queued, then written together in one transaction with statements prepared once — one WAL
 * commit for many calls instead of two per call. A batch is written `flushMs` after its first write
 * (tens of ms: under load that gathers tens of calls per commit, and the table's and indexes' last
 * pages are written once for all of them) or at once when `maxBatch` writes are waiting. The final
 * update finds its row by its id (the primary key).
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
  flush(): void;
}

type Op = { sql: 'insert'; params: unknown[] } | { sql: 'finish'; params: unknown[]; done: () => void };

const INSERT = `insert into call_logs (id, call_uuid, switch_id, org_id, direction, did, caller, caller_name, started_at, path, dtmf, created_at,
  contact_id, contact_name, contact_variables)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', '', ?, ?, ?, ?)`;
const SET = `update call_logs set answered_at = ?, ended_at = ?, duration_s = ?, path = ?, dtmf = ?, disposition = ?,
  left_at = ?, answered_by = ?, hangup_cause = ?, snapshot_version = ?`;
const FINISH = `${SET} where id = ?`;

export function createCallLogWriter(db: Db, logger: Logger, options: CallLogWriterOptions = {}): BatchedCallLogWriter {
  const sqlite = sqliteOf(db);
  const insert = sqlite.prepare(INSERT);
  const finish = sqlite.prepare(FINISH);

  const write = sqlite.transaction((ops: Op[]) => {
    for (const op of ops) (op.sql === 'insert' ? insert : finish).run(...op.params);
  });

  const flush = () => {
    const ops = queue.take();
    if (ops.length === 0) return;
    const started = performance.now();
    try {
      write(ops);
      options.onBatch?.((performance.now() - started) / 1000);
    } catch (err) {
      // One bad row must not lose the others: retry them one by one.
      logger.error({ err, rows: ops.length }, 'call log batch failed; writing rows one by one');
      for (const op of ops) {
        try {
          write([op]);
        } catch (e) {
          logger.error({ err: e }, 'call log write failed');
        }
      }
    }
    for (const op of ops) if (op.sql === 'finish') op.done();
  };

  const queue = createBatchQueue<Op>(flush, { flushMs: options.flushMs ?? 25, maxBatch: options.maxBatch ?? 256 });
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
      const duration = Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000));
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
