import { sqliteOf, type Db } from '../db/client.ts';
import type { Logger } from '../logging/logger.ts';
import type { CallSession } from './session.ts';

/**
 * Writes call_logs rows for the controller. The row is inserted when the call arrives (so a crash
 * mid-call still leaves a trace) and finished from the runner's teardown. Writes from all calls are
 * batched: queued, then written together in one transaction with statements prepared once — one WAL
 * commit for many calls instead of two per call. A batch is written `flushMs` after its first write
 * (a few ms: under load that gathers tens of calls per commit, where the next turn of the event loop
 * gathered two or three) or at once when `maxBatch` writes are waiting.
 */
export interface CallLogWriterOptions {
  /** How long the first queued write waits for others (default 10 ms). */
  readonly flushMs?: number;
  /** Written without waiting once this many writes are queued (default 256). */
  readonly maxBatch?: number;
}

export interface CallLogWriter {
  start(session: CallSession, startedAt: string): void;
  /** Resolves once the final row is on disk (never rejects; failures are logged). */
  finish(session: CallSession, startedAt: string, endedAt: string, hangupCause: string | null): Promise<void>;
}

type Op = { sql: 'insert' | 'finish'; params: unknown[]; done?: () => void };

const INSERT = `insert into call_logs (id, call_uuid, org_id, direction, did, caller, caller_name, started_at, path, dtmf, created_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, '[]', '', ?)`;
const FINISH = `update call_logs set answered_at = ?, ended_at = ?, duration_s = ?, path = ?, dtmf = ?, disposition = ?,
  answered_by = ?, hangup_cause = ?, snapshot_version = ? where id = ?`;

export function createCallLogWriter(db: Db, logger: Logger, options: CallLogWriterOptions = {}): CallLogWriter {
  const sqlite = sqliteOf(db);
  const insert = sqlite.prepare(INSERT);
  const finish = sqlite.prepare(FINISH);
  const flushMs = options.flushMs ?? 10;
  const maxBatch = options.maxBatch ?? 256;
  let queue: Op[] = [];
  let timer: NodeJS.Timeout | undefined;
  let immediate = false;

  const write = sqlite.transaction((ops: Op[]) => {
    for (const op of ops) (op.sql === 'insert' ? insert : finish).run(...op.params);
  });

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    immediate = false;
    if (queue.length === 0) return;
    const ops = queue;
    queue = [];
    try {
      write(ops);
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
    for (const op of ops) op.done?.();
  };

  const enqueue = (op: Op) => {
    queue.push(op);
    if (queue.length >= maxBatch) {
      if (!immediate) {
        immediate = true;
        setImmediate(flush);
      }
    } else if (timer === undefined) timer = setTimeout(flush, flushMs);
  };

  return {
    start(s, startedAt) {
      enqueue({ sql: 'insert', params: [s.callId, s.uuid, s.orgId, s.masking ? 'masking' : 'inbound', s.did, s.caller, s.masking ? null : s.channel.callerIdName || null, startedAt, startedAt] });
    },
    finish(s, startedAt, endedAt, hangupCause) {
      const r = s.record;
      const duration = Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000));
      return new Promise((resolve) =>
        enqueue({
          sql: 'finish',
          params: [r.answeredAt, endedAt, duration, JSON.stringify(r.path), r.dtmf, r.disposition, r.answeredBy, hangupCause, s.snapshot?.version ?? null, s.callId],
          done: resolve,
        }),
      );
    },
  };
}
