import { OpenAPIHono } from '@hono/zod-openapi';
import { and, count, desc, eq, ne, sql } from 'drizzle-orm';
import type { AppEnv } from '../../context.ts';
import type { Db } from '../../../db/client.ts';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../../../db/schema/index.ts';
import { ConflictError, NotFoundError } from '../../../services/errors.ts';
import { newWebhookSecret } from '../../../services/webhooks/signing.ts';
import { createWebhookOutbox } from '../../../services/webhooks/outbox.ts';
import {
  attemptsRoute, createWebhookRoute, deleteWebhookRoute, deliveriesRoute, getWebhookRoute, listRoute, testRoute, updateWebhookRoute,
} from './routes.ts';

type Row = typeof webhookEndpoints.$inferSelect;
const toDto = (r: Row) => ({
  id: r.id, url: r.url, events: r.events, description: r.description, enabled: r.enabled,
  secret_hint: `${r.secret.slice(0, 10)}…`, createdAt: r.createdAt, updatedAt: r.updatedAt,
});

function find(db: Db, orgId: string, id: string): Row {
  const row = db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, orgId))).get();
  if (!row) throw new NotFoundError('Webhook not found');
  return row;
}

function assertUrlFree(db: Db, orgId: string, url: string, exceptId?: string) {
  const clash = db.select({ id: webhookEndpoints.id }).from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.url, url), exceptId ? ne(webhookEndpoints.id, exceptId) : undefined)).get();
  if (clash) throw new ConflictError('A webhook with this URL already exists', { type: 'webhook', id: clash.id });
}

type DeliveryRow = typeof webhookDeliveries.$inferSelect;
const deliveryDto = (r: DeliveryRow) => ({
  id: r.id, event_type: r.eventType, status: r.status as 'pending' | 'delivered' | 'failed', attempts: r.attempts,
  next_attempt_at: r.status === 'pending' ? new Date(r.nextAttemptAt).toISOString() : null,
  last_error: r.lastError, delivered_at: r.deliveredAt, createdAt: r.createdAt, payload: JSON.parse(r.body) as unknown,
});

export function webhookRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listRoute, (c) => {
      const rows = c.get('deps').db.select().from(webhookEndpoints).where(eq(webhookEndpoints.orgId, c.get('principal').orgId))
        .orderBy(desc(webhookEndpoints.createdAt)).all();
      return c.json(rows.map(toDto), 200);
    })
    .openapi(createWebhookRoute, (c) => {
      const { db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const body = c.req.valid('json');
      assertUrlFree(db, orgId, body.url);
      const row = db.insert(webhookEndpoints).values({
        orgId, url: body.url, events: [...new Set(body.events)], secret: body.secret ?? newWebhookSecret(),
        description: body.description ?? null, enabled: body.enabled,
      }).returning().get();
      return c.json({ ...toDto(row), secret: row.secret }, 201);
    })
    .openapi(getWebhookRoute, (c) => c.json(toDto(find(c.get('deps').db, c.get('principal').orgId, c.req.valid('param').id)), 200))
    .openapi(updateWebhookRoute, (c) => {
      const { db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
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
      return c.json({ ...toDto(row!), ...(secret !== undefined ? { secret } : {}) }, 200);
    })
    .openapi(deleteWebhookRoute, (c) => {
      const { db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const { id } = c.req.valid('param');
      find(db, orgId, id);
      db.delete(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, orgId))).run();
      return c.body(null, 204);
    })
    .openapi(deliveriesRoute, (c) => {
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      find(db, c.get('principal').orgId, id);
      const where = and(eq(webhookDeliveries.endpointId, id), q.status ? eq(webhookDeliveries.status, q.status) : undefined);
      const rows = db.select().from(webhookDeliveries).where(where)
        .orderBy(desc(webhookDeliveries.createdAt), desc(sql`rowid`)).limit(q.limit).offset(q.offset).all();
      const total = db.select({ n: count() }).from(webhookDeliveries).where(where).get()?.n ?? 0;
      return c.json({ deliveries: rows.map(deliveryDto), total }, 200);
    })
    .openapi(attemptsRoute, (c) => {
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      find(db, c.get('principal').orgId, id);
      const where = eq(webhookAttempts.endpointId, id);
      const rows = db.select().from(webhookAttempts).where(where)
        .orderBy(desc(webhookAttempts.createdAt), desc(sql`rowid`)).limit(q.limit).offset(q.offset).all();
      const total = db.select({ n: count() }).from(webhookAttempts).where(where).get()?.n ?? 0;
      return c.json({
        attempts: rows.map((r) => ({
          id: r.id, delivery_id: r.deliveryId, attempt: r.attempt, status_code: r.statusCode, error: r.error,
          duration_ms: r.durationMs, createdAt: r.createdAt,
        })),
        total,
      }, 200);
    })
    .openapi(testRoute, (c) => {
      const { db, logger, now } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const { id } = c.req.valid('param');
      if (!find(db, orgId, id).enabled) throw new ConflictError('Webhook is disabled; enable it first', { type: 'webhook', id });
      const outbox = createWebhookOutbox({ db, logger });
      outbox.enqueue({ type: 'webhook.test', orgId, at: now().toISOString(), data: { webhook_id: id }, endpointIds: [id] });
      outbox.flush();
      const row = db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, id))
        .orderBy(desc(sql`rowid`)).limit(1).get();
      c.get('deps').webhooks?.kick();
      return c.json({ success: true as const, delivery_id: row!.id }, 202);
    });
}
