/** Webhook endpoints of an organization, their deliveries and attempts, and a test delivery. */
import { and, count, desc, eq, ne } from 'drizzle-orm';
import type { Db, Tables } from '../../db/handle.ts';
import { insertionOrder } from '../../db/order.ts';
import type { Logger } from '../../runtime/logger.ts';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import { createWebhookOutbox } from './outbox.ts';
import { newWebhookSecret } from './signing.ts';

export type WebhookRow = Tables['webhookEndpoints']['$inferSelect'];
export type DeliveryRow = Tables['webhookDeliveries']['$inferSelect'];
export type AttemptRow = Tables['webhookAttempts']['$inferSelect'];

export interface WebhookFields {
  url?: string | undefined;
  events?: string[] | undefined;
  secret?: string | undefined;
  /** Generate a new secret (returned once). */
  rotate_secret?: boolean | undefined;
  description?: string | null | undefined;
  enabled?: boolean | undefined;
}

type CreateBody = { url: string; events: string[]; secret?: string | undefined; description?: string | undefined; enabled: boolean };

async function find(db: Db, orgId: string, id: string): Promise<WebhookRow> {
  const { webhookEndpoints } = db.t;
  const [row] = await db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, orgId))).limit(1);
  if (!row) throw new NotFoundError('Webhook not found');
  return row;
}

async function assertUrlFree(db: Db, orgId: string, url: string, exceptId?: string): Promise<void> {
  const { webhookEndpoints } = db.t;
  const [clash] = await db.select({ id: webhookEndpoints.id }).from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.url, url), exceptId ? ne(webhookEndpoints.id, exceptId) : undefined)).limit(1);
  if (clash) throw new ConflictError('A webhook with this URL already exists', { type: 'webhook', id: clash.id });
}

export async function listWebhooks(db: Db, orgId: string): Promise<WebhookRow[]> {
  const { webhookEndpoints } = db.t;
  return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.orgId, orgId)).orderBy(desc(webhookEndpoints.createdAt));
}

export function getWebhook(db: Db, orgId: string, id: string): Promise<WebhookRow> {
  return find(db, orgId, id);
}

const newRow = (orgId: string, body: CreateBody) => ({
  orgId, url: body.url, events: [...new Set(body.events)], secret: body.secret ?? newWebhookSecret(),
  description: body.description ?? null, enabled: body.enabled,
});

/** Registers an endpoint; the secret is generated (whsec_…) when not given. */
export async function createWebhook(db: Db, orgId: string, body: CreateBody): Promise<WebhookRow> {
  await assertUrlFree(db, orgId, body.url);
  const [row] = await db.insert(db.t.webhookEndpoints).values(newRow(orgId, body)).returning();
  return row!;
}

/** Partial update; `secret` is the new secret when one was set or rotated (shown once), else undefined. */
export async function updateWebhook(db: Db, orgId: string, id: string, body: WebhookFields): Promise<{ row: WebhookRow; secret: string | undefined }> {
  const { webhookEndpoints } = db.t;
  await find(db, orgId, id);
  if (body.url !== undefined) await assertUrlFree(db, orgId, body.url, id);
  const secret = body.rotate_secret ? newWebhookSecret() : body.secret;
  const [row] = await db.update(webhookEndpoints).set({
    ...(body.url !== undefined ? { url: body.url } : {}),
    ...(body.events !== undefined ? { events: [...new Set(body.events)] } : {}),
    ...(secret !== undefined ? { secret } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
    updatedAt: new Date().toISOString(),
  }).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, orgId))).returning();
  // Deleted in between: as if it never existed.
  if (!row) throw new NotFoundError('Webhook not found');
  return { row, secret };
}

/** Deletes the endpoint (its pending deliveries go with it). */
export async function deleteWebhook(db: Db, orgId: string, id: string): Promise<void> {
  const { webhookEndpoints } = db.t;
  await find(db, orgId, id);
  await db.delete(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, orgId)));
}

/** A page of the endpoint's deliveries (outbox rows), newest first; `total` counts every match. */
export async function listDeliveries(
  db: Db,
  orgId: string,
  id: string,
  q: { status?: string | undefined; limit: number; offset: number },
): Promise<{ rows: DeliveryRow[]; total: number }> {
  const { webhookDeliveries } = db.t;
  await find(db, orgId, id);
  const where = and(eq(webhookDeliveries.endpointId, id), q.status ? eq(webhookDeliveries.status, q.status) : undefined);
  const rows = await db.select().from(webhookDeliveries).where(where)
    .orderBy(desc(webhookDeliveries.createdAt), desc(insertionOrder(db, webhookDeliveries))).limit(q.limit).offset(q.offset);
  const [n] = await db.select({ n: count() }).from(webhookDeliveries).where(where);
  return { rows, total: n?.n ?? 0 };
}

/** A page of every delivery attempt to the endpoint, newest first, with the total. */
export async function listAttempts(db: Db, orgId: string, id: string, q: { limit: number; offset: number }): Promise<{ rows: AttemptRow[]; total: number }> {
  const { webhookAttempts } = db.t;
  await find(db, orgId, id);
  const where = eq(webhookAttempts.endpointId, id);
  const rows = await db.select().from(webhookAttempts).where(where)
    .orderBy(desc(webhookAttempts.createdAt), desc(insertionOrder(db, webhookAttempts))).limit(q.limit).offset(q.offset);
  const [n] = await db.select({ n: count() }).from(webhookAttempts).where(where);
  return { rows, total: n?.n ?? 0 };
}

/** Queues a webhook.test delivery to an enabled endpoint and wakes the dispatcher; the delivery's id. */
export async function queueTestDelivery(
  deps: { adb: Db; logger: Logger; now: () => Date; webhooks?: { kick(): void } | undefined },
  orgId: string,
  id: string,
): Promise<string> {
  const { adb: db, logger, now } = deps;
  const { webhookDeliveries } = db.t;
  if (!(await find(db, orgId, id)).enabled) throw new ConflictError('Webhook is disabled; enable it first', { type: 'webhook', id });
  const outbox = createWebhookOutbox({ db, logger });
  outbox.enqueue({ type: 'webhook.test', orgId, at: now().toISOString(), data: { webhook_id: id }, endpointIds: [id] });
  await outbox.flush();
  const [row] = await db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, id))
    .orderBy(desc(insertionOrder(db, webhookDeliveries))).limit(1);
  deps.webhooks?.kick();
  return row!.id;
}
