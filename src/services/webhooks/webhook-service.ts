/** Webhook endpoints of an organization, their deliveries and attempts, and a test delivery. */
import { and, count, desc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Logger } from '../../runtime/logger.ts';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../../db/schema/index.ts';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import { createWebhookOutbox } from './outbox.ts';
import { newWebhookSecret } from './signing.ts';

export type WebhookRow = typeof webhookEndpoints.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;

export interface WebhookFields {
  url?: string | undefined;
  events?: string[] | undefined;
  secret?: string | undefined;
  /** Generate a new secret (returned once). */
  rotate_secret?: boolean | undefined;
  description?: string | null | undefined;
  enabled?: boolean | undefined;
}

function find(db: Db, orgId: string, id: string): WebhookRow {
  const row = db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, orgId))).get();
  if (!row) throw new NotFoundError('Webhook not found');
  return row;
}

function assertUrlFree(db: Db, orgId: string, url: string, exceptId?: string) {
  const clash = db.select({ id: webhookEndpoints.id }).from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.url, url), exceptId ? ne(webhookEndpoints.id, exceptId) : undefined)).get();
  if (clash) throw new ConflictError('A webhook with this URL already exists', { type: 'webhook', id: clash.id });
}

export function listWebhooks(db: Db, orgId: string): WebhookRow[] {
  return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.orgId, orgId)).orderBy(desc(webhookEndpoints.createdAt)).all();
}

export function getWebhook(db: Db, orgId: string, id: string): WebhookRow {
  return find(db, orgId, id);
}

/** Registers an endpoint; the secret is generated (whsec_…) when not given. */
export function createWebhook(
  db: Db,
  orgId: string,
  body: { url: string; events: string[]; secret?: string | undefined; description?: string | undefined; enabled: boolean },
): WebhookRow {
  assertUrlFree(db, orgId, body.url);
  return db.insert(webhookEndpoints).values({
    orgId, url: body.url, events: [...new Set(body.events)], secret: body.secret ?? newWebhookSecret(),
    description: body.description ?? null, enabled: body.enabled,
  }).returning().get();
}

/** Partial update; `secret` is the new secret when one was set or rotated (shown once), else undefined. */
export function updateWebhook(db: Db, orgId: string, id: string, body: WebhookFields): { row: WebhookRow; secret: string | undefined } {
  find(db, orgId, id);
  if (body.url !== undefined) assertUrlFree(db, orgId, body.url, id);
  const secret = body.rotate_secret ? newWebhookSecret() : body.secret;
  const row = db.update(webhookEndpoints).set({
    ...(body.url !== undefined ? { url: body.url } : {}),
    ...(body.events !== undefined ? { events: [...new Set(body.events)] } : {}),
    ...(secret !== undefined ? { secret } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
    updatedAt: new Date().toISOString(),
  }).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, orgId))).returning().get();
  return { row: row!, secret };
}

/** Deletes the endpoint (its pending deliveries go with it). */
export function deleteWebhook(db: Db, orgId: string, id: string): void {
  find(db, orgId, id);
  db.delete(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, orgId))).run();
}

/** A page of the endpoint's deliveries (outbox rows), newest first; `total` counts every match. */
export function listDeliveries(
  db: Db,
  orgId: string,
  id: string,
  q: { status?: string | undefined; limit: number; offset: number },
): { rows: DeliveryRow[]; total: number } {
  find(db, orgId, id);
  const where = and(eq(webhookDeliveries.endpointId, id), q.status ? eq(webhookDeliveries.status, q.status) : undefined);
  const rows = db.select().from(webhookDeliveries).where(where)
    .orderBy(desc(webhookDeliveries.createdAt), desc(sql`rowid`)).limit(q.limit).offset(q.offset).all();
  const total = db.select({ n: count() }).from(webhookDeliveries).where(where).get()?.n ?? 0;
  return { rows, total };
}

/** A page of every delivery attempt to the endpoint, newest first, with the total. */
export function listAttempts(db: Db, orgId: string, id: string, q: { limit: number; offset: number }): { rows: AttemptRow[]; total: number } {
  find(db, orgId, id);
  const where = eq(webhookAttempts.endpointId, id);
  const rows = db.select().from(webhookAttempts).where(where)
    .orderBy(desc(webhookAttempts.createdAt), desc(sql`rowid`)).limit(q.limit).offset(q.offset).all();
  const total = db.select({ n: count() }).from(webhookAttempts).where(where).get()?.n ?? 0;
  return { rows, total };
}

/** Queues a webhook.test delivery to an enabled endpoint and wakes the dispatcher; the delivery's id. */
export function queueTestDelivery(
  deps: { db: Db; logger: Logger; now: () => Date; webhooks?: { kick(): void } | undefined },
  orgId: string,
  id: string,
): string {
  const { db, logger, now } = deps;
  if (!find(db, orgId, id).enabled) throw new ConflictError('Webhook is disabled; enable it first', { type: 'webhook', id });
  const outbox = createWebhookOutbox({ db, logger });
  outbox.enqueue({ type: 'webhook.test', orgId, at: now().toISOString(), data: { webhook_id: id }, endpointIds: [id] });
  outbox.flush();
  const row = db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, id))
    .orderBy(desc(sql`rowid`)).limit(1).get();
  deps.webhooks?.kick();
  return row!.id;
}
