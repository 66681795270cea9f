/**
 * The bus side of webhooks: a call event becomes one outbox row per subscribed endpoint, body frozen now.
 * The listener only queues in memory (the bus's event object itself: nothing is copied for the many
 * organizations without endpoints); rows are written together in one transaction a few milliseconds
 * later, so a slow or dead receiver can never reach a call (the dispatcher does the network) and one
 * batch carries the events of many calls.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Db } from '../../db/handle.ts';
import { createBatchQueue } from '../../db/batch-queue.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { CallEvent, CallEventBus } from '../../domain/call-events.ts';
import { getCallLog, getCallLogOn, toCallLogDto, type CallLogRow } from '../call-logs/store.ts';

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
  /** Writes whatever is queued now; resolves with the number of deliveries created. */
  flush(): Promise<number>;
  /** Subscribes to the call bus; returns the unsubscribe function. */
  attach(bus: CallEventBus): () => void;
  /** Called after rows were written (the dispatcher wakes up). */
  onWritten(listener: () => void): void;
}

interface EndpointRow { id: string; org_id: string; events: string | string[] }

/** The outbox's two database steps, per dialect. */
interface OutboxStore {
  /** Which of these organizations have an enabled endpoint. */
  withEndpoints(orgIds: string[]): Promise<Set<string>>;
  /** The events' rows, all or none (one transaction / one statement); the number of deliveries created. */
  write(events: OutboxEvent[]): Promise<number>;
}

/** The endpoints (of the event's organization) an event goes to. */
function targets(e: OutboxEvent, endpoints: EndpointRow[]): EndpointRow[] {
  return endpoints.filter((ep) =>
    e.endpointIds ? e.endpointIds.includes(ep.id) : matches(typeof ep.events === 'string' ? (JSON.parse(ep.events) as string[]) : ep.events, e.type),
  );
}

const bodyOf = (e: OutboxEvent) => JSON.stringify({ id: `evt_${randomUUID()}`, type: e.type, created_at: e.at, data: e.data });

const PG_ENDPOINTS = 'select id, org_id, events from webhook_endpoints where org_id = any($1::text[]) and enabled order by org_id, id';
const PG_INSERT = `insert into webhook_deliveries (id, org_id, endpoint_id, event_type, body, status, attempts, next_attempt_at, created_at)
  select id, org_id, endpoint_id, event_type, body, 'pending', 0, $6, $7 from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
    as v(id, org_id, endpoint_id, event_type, body)`;

function outboxStore(db: Db, now: () => number, attachCall: (row: CallLogRow | undefined) => unknown): OutboxStore {
  const { driver } = db;
  if (driver.dialect === 'sqlite') {
    // Statements prepared once on the raw connection; each step runs in the connection's turn.
    let stmts: ReturnType<typeof prepare> | undefined;
    function prepare(raw: Database.Database) {
      const endpointsOf = raw.prepare('select id, org_id, events from webhook_endpoints where org_id = ? and enabled = 1');
      const hasEndpoint = raw.prepare('select 1 from webhook_endpoints where org_id = ? and enabled = 1 limit 1').pluck();
      const insert = raw.prepare(
        `insert into webhook_deliveries (id, org_id, endpoint_id, event_type, body, status, attempts, next_attempt_at, created_at)
         values (?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
      );
      const writeAll = raw.transaction((events: OutboxEvent[]) => {
        let n = 0;
        const t = now();
        const createdAt = new Date(t).toISOString();
        for (const e of events) {
          const endpoints = targets(e, endpointsOf.all(e.orgId) as EndpointRow[]);
          if (endpoints.length === 0) continue;
          if (e.attachCallLog) e.data.call = attachCall(getCallLogOn(raw, e.orgId, e.attachCallLog));
          const body = bodyOf(e);
          for (const ep of endpoints) {
            insert.run(randomUUID(), e.orgId, ep.id, e.type, body, t, createdAt);
            n++;
          }
        }
        return n;
      });
      return { hasEndpoint, writeAll };
    }
    return {
      withEndpoints: (orgIds) => driver.gate.withRaw((raw) => {
        const { hasEndpoint } = (stmts ??= prepare(raw));
        return new Set(orgIds.filter((orgId) => hasEndpoint.get(orgId) !== undefined));
      }),
      write: (events) => driver.gate.withRaw((raw) => (stmts ??= prepare(raw)).writeAll(events)),
    };
  }
  const { pool } = driver;
  return {
    async withEndpoints(orgIds) {
      const { rows } = await pool.query<{ org_id: string }>({
        name: 'outbox_orgs', text: 'select distinct org_id from webhook_endpoints where org_id = any($1::text[]) and enabled', values: [orgIds],
      });
      return new Set(rows.map((r) => r.org_id));
    },
    // The batch's endpoints in one query, each hangup's call log, then every row in ONE statement (atomic).
    async write(events) {
      const orgIds = [...new Set(events.map((e) => e.orgId))];
      const { rows } = await pool.query<EndpointRow>({ name: 'outbox_endpoints', text: PG_ENDPOINTS, values: [orgIds] });
      const cols: string[][] = [[], [], [], [], []];
      for (const e of events) {
        const endpoints = targets(e, rows.filter((r) => r.org_id === e.orgId));
        if (endpoints.length === 0) continue;
        if (e.attachCallLog) e.data.call = attachCall(await getCallLog(db, e.orgId, e.attachCallLog).catch(() => undefined));
        const body = bodyOf(e);
        for (const ep of endpoints) [randomUUID(), e.orgId, ep.id, e.type, body].forEach((v, i) => cols[i]!.push(v));
      }
      if (cols[0]!.length === 0) return 0;
      const t = now();
      await pool.query({ name: 'outbox_insert', text: PG_INSERT, values: [...cols, t, new Date(t).toISOString()] });
      return cols[0]!.length;
    },
  };
}

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
  const now = opts.now ?? Date.now;
  const written: Array<() => void> = [];
  const store = outboxStore(opts.db, now, (row) => (row ? toCallLogDto(row, opts.baseUrl ?? '') : null));

  /** The batch at once; when it fails (written nothing), event by event, so only a bad one is lost. */
  const write = async (live: OutboxEvent[]): Promise<number> => {
    try {
      return await store.write(live);
    } catch (err) {
      if (live.length === 1) {
        opts.logger.error({ err, type: live[0]!.type, orgId: live[0]!.orgId }, 'webhook event could not be written: dropped');
        return 0;
      }
      opts.logger.error({ err, events: live.length }, 'webhook outbox batch failed; writing events one by one');
      let n = 0;
      for (const e of live) {
        try {
          n += await store.write([e]);
        } catch (e2) {
          opts.logger.error({ err: e2, type: e.type, orgId: e.orgId }, 'webhook event could not be written: dropped');
        }
      }
      return n;
    }
  };

  const writeQueued = async (events: Queued[]): Promise<number> => {
    if (events.length === 0) return 0;
    let n = 0;
    try {
      // Most organizations have no endpoint: one indexed probe per organization in the batch decides,
      // and a batch with nothing to deliver writes nothing at all (a call offers ~7 events).
      const wanted = await store.withEndpoints([...new Set(events.map((e) => e.orgId!))]);
      const live = events.filter((e) => wanted.has(e.orgId!)).map(toOutboxEvent);
      if (live.length > 0) n = await write(live);
    } catch (err) {
      opts.logger.error({ err, events: events.length }, 'webhook outbox write failed');
    }
    if (n > 0) for (const l of written) l();
    return n;
  };

  // What is queued starts at once; the answer also waits for a write already under way (the timer's), so
  // whoever awaits flush() finds every event queued before it written.
  let writing: Promise<unknown> = Promise.resolve();
  const flush = (): Promise<number> => {
    const done = Promise.all([writing, writeQueued(queue.take())]).then(([, n]) => n);
    writing = done.catch(() => 0);
    return done;
  };

  const queue = createBatchQueue<Queued>(() => void flush(), { flushMs: opts.flushMs ?? 5, maxBatch: opts.maxBatch ?? 512 });
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
