import { sqliteOf, type Db } from '../db/client.ts';
import { createBatchQueue } from '../db/batch-queue.ts';
import type { Logger } from '../runtime/logger.ts';
import type { CallLogWriter, CallSession } from './session.ts';

/**
 * Writes call_logs rows for the controller. The row is inserted when the call arrives (so a crash
 * mid-call still leaves a trace) and finished from the runner's teardown. Writes from all calls are
 * batched: queued, then written together in one transaction with statements prepared once — one WAL
 * commit for many calls instead of two per call. A batch is written `flushMs` after its first write
 * (tens of ms: under load that gathers tens of calls per commit, and the table's and indexes' last
 * pages are written once for all of them) or at once when `maxBatch` writes are waiting. The final
 * update finds its row by the rowid the insert returned, not through the id's index.
 */
export interface CallLogWriterOptions {
  /** How long the first queued write waits for others (default 25 ms). */
  readonly flushMs?: number;
  /** Written without waiting once this many writes are queued (default 256). */
  readonly maxBatch?: number;
}

export interface BatchedCallLogWriter extends CallLogWriter {
  /** Writes the queued rows now, without waiting for the batch (what a test waits on instead of a sleep). */
  flush(): void;
}

/** Where a call's row is: its rowid once the insert ran (same batch or an earlier one). */
type Row = { rowid: number | bigint | undefined };
type Op =
  | { sql: 'insert'; params: unknown[]; row: Row }
  | { sql: 'finish'; params: unknown[]; id: string; row: Row | undefined; done: () => void };

const INSERT = `insert into call_logs (id, call_uuid, org_id, direction, did, caller, caller_name, started_at, path, dtmf, created_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, '[]', '', ?)`;
const SET = `update call_logs set answered_at = ?, ended_at = ?, duration_s = ?, path = ?, dtmf = ?, disposition = ?,
  left_at = ?, answered_by = ?, hangup_cause = ?, snapshot_version = ?`;
/** The id check costs nothing once the row is found, and keeps a rowid that VACUUM renumbered from matching. */
const FINISH_BY_ROWID = `${SET} where rowid = ? and id = ?`;
/** When the rowid is unknown (the insert failed and was logged) or matched nothing. */
const FINISH_BY_ID = `${SET} where id = ?`;

export function createCallLogWriter(db: Db, logger: Logger, options: CallLogWriterOptions = {}): BatchedCallLogWriter {
  const sqlite = sqliteOf(db);
  const insert = sqlite.prepare(INSERT);
  const finishByRowid = sqlite.prepare(FINISH_BY_ROWID);
  const finishById = sqlite.prepare(FINISH_BY_ID);

  // Each call's row, from start() until its finish is written.
  const rows = new WeakMap<CallSession, Row>();

  const write = sqlite.transaction((ops: Op[]) => {
    for (const op of ops) {
      if (op.sql === 'insert') op.row.rowid = insert.run(...op.params).lastInsertRowid;
      else if (op.row?.rowid === undefined || finishByRowid.run(...op.params, op.row.rowid, op.id).changes === 0) finishById.run(...op.params, op.id);
    }
  });

  const flush = () => {
    const ops = queue.take();
    if (ops.length === 0) return;
    try {
      write(ops);
    } catch (err) {
      // One bad row must not lose the others: retry them one by one.
      logger.error({ err, rows: ops.length }, 'call log batch failed; writing rows one by one');
      // The batch was rolled back: rowids its inserts returned are void (and may be handed out again).
      for (const op of ops) if (op.sql === 'insert') op.row.rowid = undefined;
      for (const op of ops) {
        try {
          write([op]);
        } catch (e) {
          if (op.sql === 'insert') op.row.rowid = undefined;
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
      const row: Row = { rowid: undefined };
      rows.set(s, row);
      enqueue({ sql: 'insert', row, params: [s.callId, s.uuid, s.orgId, s.masking ? 'masking' : 'inbound', s.did, s.caller, s.masking ? null : s.channel.callerIdName || null, startedAt, startedAt] });
    },
    finish(s, startedAt, endedAt, hangupCause) {
      const r = s.record;
      const duration = Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000));
      const row = rows.get(s);
      rows.delete(s);
      return new Promise((resolve) =>
        enqueue({
          sql: 'finish',
          row,
          id: s.callId,
          params: [r.answeredAt, endedAt, duration, JSON.stringify(r.path), r.dtmf, r.disposition, s.stage, r.answeredBy, hangupCause, s.snapshot?.version ?? null],
          done: resolve,
        }),
      );
    },
  };
}
