/**
 * Delivers the outbox. Each pass claims due rows (a lease: `next_attempt_at` pushed forward, so a crash
 * mid-attempt only delays a retry), POSTs each signed body with a timeout, and records the attempt:
 * 2xx → delivered; anything else → retried with exponential backoff until `maxAttempts`, then failed.
 * All state is in the database, so a restart resumes where it stopped (at-least-once; receivers dedupe
 * on X-Webhook-Id). Created in main.ts (or a test) with start()/stop(); no module state.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Db } from '../../db/handle.ts';
import { createOutboxClaim, type DueDelivery } from './claim.ts';
import type { Logger } from '../../runtime/logger.ts';
import { EVENT_HEADER, ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, retryDelayMs, sign } from './signing.ts';

export interface DispatcherOptions {
  db: Db;
  logger: Logger;
  timeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  pollMs: number;
  /** Deliveries in flight at once (default 16). */
  concurrency?: number;
  /** How long a claimed row stays invisible to other passes (default timeout + 30 s). */
  leaseMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
  /** Told of each recorded attempt: delivered, to be retried, or failed for good (metrics). */
  onAttempt?: (result: WebhookAttemptResult) => void;
}

export type WebhookAttemptResult = 'delivered' | 'retry' | 'failed';

export interface WebhookDispatcher {
  start(): void;
  /** Stops claiming; waits for attempts in flight (each bounded by the timeout). */
  stop(): Promise<void>;
  /** Wake the loop now (new rows were written). */
  kick(): void;
  /** One pass: claim and deliver what is due; resolves with the number of attempts made. */
  runOnce(): Promise<number>;
}

type Due = DueDelivery;

/** One attempt's outcome as stored: the attempt row, and the delivery's new state. */
interface Recorded {
  id: string; delivery: Due; attempt: number; code: number | null; error: string | null; ms: number; at: number;
  status: 'delivered' | 'pending' | 'failed'; nextAttemptAt: number | null;
}
type RecordAttempt = (r: Recorded) => Promise<void>;

const INSERT_ATTEMPT = `insert into webhook_attempts (id, delivery_id, endpoint_id, attempt, status_code, error, duration_ms, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)`;
/** PostgreSQL: the attempt row and the delivery's state in one statement (atomic without a transaction). */
const PG_RECORD = `with attempt as (
    insert into webhook_attempts (id, delivery_id, endpoint_id, attempt, status_code, error, duration_ms, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8)
  )
  update webhook_deliveries set status = $9, attempts = $4, next_attempt_at = coalesce($10, next_attempt_at),
    delivered_at = coalesce($11, delivered_at), last_error = $6
  where id = $2`;

function attemptRecorder(db: Db): RecordAttempt {
  const { driver } = db;
  if (driver.dialect === 'postgres') {
    return async (r) => {
      const iso = new Date(r.at).toISOString();
      await driver.pool.query({
        name: 'webhook_record_attempt', text: PG_RECORD,
        values: [r.id, r.delivery.id, r.delivery.endpoint_id, r.attempt, r.code, r.error, r.ms, iso, r.status, r.nextAttemptAt, r.status === 'delivered' ? iso : null],
      });
    };
  }
  let record: ((r: Recorded) => void) | undefined;
  const prepare = (raw: Database.Database) => {
    const insert = raw.prepare(INSERT_ATTEMPT);
    const markDelivered = raw.prepare(`update webhook_deliveries set status = 'delivered', attempts = ?, delivered_at = ?, last_error = null where id = ?`);
    const markRetry = raw.prepare(`update webhook_deliveries set status = ?, attempts = ?, next_attempt_at = ?, last_error = ? where id = ?`);
    return raw.transaction((r: Recorded) => {
      const iso = new Date(r.at).toISOString();
      insert.run(r.id, r.delivery.id, r.delivery.endpoint_id, r.attempt, r.code, r.error, r.ms, iso);
      if (r.status === 'delivered') markDelivered.run(r.attempt, iso, r.delivery.id);
      else markRetry.run(r.status, r.attempt, r.nextAttemptAt, r.error, r.delivery.id);
    });
  };
  return (r) => driver.gate.withRaw((raw) => (record ??= prepare(raw))(r));
}

export function createWebhookDispatcher(o: DispatcherOptions): WebhookDispatcher {
  const now = o.now ?? Date.now;
  const doFetch = o.fetch ?? fetch;
  const concurrency = o.concurrency ?? 16;
  const leaseMs = o.leaseMs ?? o.timeoutMs + 30_000;
  const log = o.logger.child({ component: 'webhooks' });

  // Claims are leases taken in one statement or transaction (claim.ts): any number of instances.
  const claim = createOutboxClaim(o.db, leaseMs);
  const record = attemptRecorder(o.db);
  const finish = (d: Due, attempt: number, code: number | null, error: string | null, ms: number) => {
    const at = now();
    const status = error === null ? 'delivered' : attempt >= o.maxAttempts ? 'failed' : 'pending';
    const nextAttemptAt = status === 'delivered' ? null : status === 'failed' ? at : at + retryDelayMs(attempt, o.backoffBaseMs, o.backoffMaxMs);
    return record({ id: randomUUID(), delivery: d, attempt, code, error, ms, at, status, nextAttemptAt });
  };

  const deliver = async (d: Due): Promise<void> => {
    const attempt = d.attempts + 1;
    const started = now();
    const ts = Math.floor(started / 1000);
    let code: number | null = null;
    let error: string | null = null;
    try {
      const res = await doFetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'switchboard-webhooks/1',
          [ID_HEADER]: d.id,
          [EVENT_HEADER]: d.event_type,
          [TIMESTAMP_HEADER]: String(ts),
          [SIGNATURE_HEADER]: sign(d.secret, ts, d.body),
        },
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(o.timeoutMs),
      });
      code = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (err) {
      const e = err as Error;
      error = e.name === 'TimeoutError' ? `timeout after ${o.timeoutMs} ms` : `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ''}`;
    }
    try {
      await finish(d, attempt, code, error, now() - started);
      o.onAttempt?.(error === null ? 'delivered' : attempt >= o.maxAttempts ? 'failed' : 'retry');
    } catch (err) {
      log.error({ err, delivery: d.id }, 'recording a webhook attempt failed');
    }
    if (error) log.debug({ delivery: d.id, attempt, error }, 'webhook attempt failed');
  };

  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();

  const runOnce = async (): Promise<number> => {
    const free = concurrency - inFlight.size;
    if (free <= 0) return 0;
    let due: Due[];
    try {
      due = await claim(now(), free);
    } catch (err) {
      log.error({ err }, 'claiming webhook deliveries failed');
      return 0;
    }
    for (const d of due) {
      const p = deliver(d).finally(() => {
        inFlight.delete(p);
        wake?.();
      });
      inFlight.add(p);
    }
    if (!running) await Promise.all([...inFlight]);
    return due.length;
  };

  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      timer = setTimeout(done, ms);
      wake = done;
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
    });

  return {
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          const n = await runOnce();
          if (running && (n === 0 || inFlight.size >= concurrency)) await idle(o.pollMs);
        }
      })();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      await Promise.all([...inFlight]);
    },
    kick: () => wake?.(),
    runOnce,
  };
}
