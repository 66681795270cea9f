/**
 * The bus side of webhooks: a call event becomes one outbox row per subscribed endpoint, body frozen now.
 * The listener only queues in memory (the bus's event object itself: nothing is copied for the many
 * organizations without endpoints); rows are written together in one transaction a few milliseconds
 * later, so a slow or dead receiver can never reach a call (the dispatcher does the network) and one
 * batch carries the events of many calls.
 */
import { randomUUID } from 'node:crypto';
import { sqliteOf, type Db } from '../../db/client.ts';
import { createBatchQueue } from '../../db/batch-queue.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { CallEvent, CallEventBus } from '../../domain/call-events.ts';
import { getCallLog, toCallLogDto } from '../call-logs/store.ts';

export const WEBHOOK_EVENTS = [
  'call.ringing', 'call.answered', 'call.dtmf', 'ivr.selection', 'call.transferred', 'call.bridged', 'call.hangup',
  'voicemail.new', 'masking.ended', 'webhook.test',
] as const;

/** Exact names, `*`, or a prefix wildcard such as `call.*` / `bot.*` (bot events). */
export function isValidEventPattern(p: string): boolean {
  return p === '*' || (WEBHOOK_EVENTS as readonly string[]).includes(p) || /^[a-z_]+\.\*$/.test(p) || /^bot\.[a-z_.]+$/.test(p);
}

export function matches(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

export interface OutboxEvent {
  type: string;
  orgId: string;
  data: Record<string, unknown>;
  at: string;
  /** Only these endpoints (e.g. a test ping); default: every enabled endpoint subscribed to the type. */
  endpointIds?: string[];
  /** Attach this call's log row as `data.call` when written (call.hangup). */
  attachCallLog?: string;
}

export interface WebhookOutbox {
  /** Queue an event (returns at once; written with the batch, `flushMs` later). */
  enqueue(event: OutboxEvent): void;
  /** Writes whatever is queued now; returns the number of deliveries created. */
  flush(): number;
  /** Subscribes to the call bus; returns the unsubscribe function. */
  attach(bus: CallEventBus): () => void;
  /** Called after rows were written (the dispatcher wakes up). */
  onWritten(listener: () => void): void;
}

interface EndpointRow { id: string; events: string }

export interface WebhookOutboxOptions {
  db: Db;
  logger: Logger;
  baseUrl?: string;
  now?: () => number;
  /** How long the first queued event waits for others before the batch is written (default 5 ms). */
  flushMs?: number;
  /** Written without waiting once this many events are queued (default 512). */
  maxBatch?: number;
}

/** Queued: an event given to `enqueue`, or a call event as the bus delivered it (turned into one when written). */
type Queued = OutboxEvent | CallEvent;

function toOutboxEvent(q: Queued): OutboxEvent {
  if ('data' in q) return q;
  const { type, orgId, at, ...data } = q;
  // The runner emits call.hangup after the call log row is final: the row is attached at write time.
  return { type, orgId: orgId!, at, data, attachCallLog: type === 'call.hangup' ? q.callId : undefined };
}

export function createWebhookOutbox(opts: WebhookOutboxOptions): WebhookOutbox {
  const sqlite = sqliteOf(opts.db);
  const now = opts.now ?? Date.now;
  const endpointsOf = sqlite.prepare('select id, events from webhook_endpoints where org_id = ? and enabled = 1');
  const hasEndpoint = sqlite.prepare('select 1 from webhook_endpoints where org_id = ? and enabled = 1 limit 1').pluck();
  const insert = sqlite.prepare(
    `insert into webhook_deliveries (id, org_id, endpoint_id, event_type, body, status, attempts, next_attempt_at, created_at)
     values (?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
  );
  const written: Array<() => void> = [];

  const callLogOrNull = (orgId: string, callId: string) => {
    try {
      return toCallLogDto(getCallLog(opts.db, orgId, callId), opts.baseUrl ?? '');
    } catch {
      return null;
    }
  };

  const writeAll = sqlite.transaction((events: OutboxEvent[]) => {
    let n = 0;
    const t = now();
    const createdAt = new Date(t).toISOString();
    for (const e of events) {
      const endpoints = (endpointsOf.all(e.orgId) as EndpointRow[]).filter((ep) =>
        e.endpointIds ? e.endpointIds.includes(ep.id) : matches(JSON.parse(ep.events) as string[], e.type),
      );
      if (endpoints.length === 0) continue;
      if (e.attachCallLog) e.data.call = callLogOrNull(e.orgId, e.attachCallLog);
      const body = JSON.stringify({ id: `evt_${randomUUID()}`, type: e.type, created_at: e.at, data: e.data });
      for (const ep of endpoints) {
        insert.run(randomUUID(), e.orgId, ep.id, e.type, body, t, createdAt);
        n++;
      }
    }
    return n;
  });

  /** The batch in one transaction; when it fails (rolled back), event by event, so only a bad one is lost. */
  const write = (live: OutboxEvent[]): number => {
    try {
      return writeAll(live);
    } catch (err) {
      if (live.length === 1) {
        opts.logger.error({ err, type: live[0]!.type, orgId: live[0]!.orgId }, 'webhook event could not be written: dropped');
        return 0;
      }
      opts.logger.error({ err, events: live.length }, 'webhook outbox batch failed; writing events one by one');
      let n = 0;
      for (const e of live) {
        try {
          n += writeAll([e]);
        } catch (e2) {
          opts.logger.error({ err: e2, type: e.type, orgId: e.orgId }, 'webhook event could not be written: dropped');
        }
      }
      return n;
    }
  };

  const flush = (): number => {
    const events = queue.take();
    if (events.length === 0) return 0;
    let n = 0;
    try {
      // Most organizations have no endpoint: one indexed probe per organization in the batch decides,
      // and a batch with nothing to deliver opens no transaction at all (a call offers ~7 events).
      const wanted = new Map<string, boolean>();
      const live: OutboxEvent[] = [];
      for (const e of events) {
        const orgId = e.orgId!;
        let w = wanted.get(orgId);
        if (w === undefined) wanted.set(orgId, (w = hasEndpoint.get(orgId) !== undefined));
        if (w) live.push(toOutboxEvent(e));
      }
      if (live.length > 0) n = write(live);
    } catch (err) {
      opts.logger.error({ err, events: events.length }, 'webhook outbox write failed');
    }
    if (n > 0) for (const l of written) l();
    return n;
  };

  const queue = createBatchQueue<Queued>(flush, { flushMs: opts.flushMs ?? 5, maxBatch: opts.maxBatch ?? 512 });
  const enqueue = (e: OutboxEvent): void => queue.push(e);

  // Kept as is: `emit` builds a fresh object per event and no listener changes it; the copy that becomes
  // the body is made at write time, only for organizations with an endpoint.
  const fromCall = (event: CallEvent): void => {
    if (event.orgId) queue.push(event);
  };

  return {
    enqueue,
    flush,
    attach: (bus) => bus.subscribe(fromCall),
    onWritten: (l) => void written.push(l),
  };
}
