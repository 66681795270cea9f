import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import * as svc from '../../../services/webhooks/webhook-service.ts';
import {
  attemptsRoute, createWebhookRoute, deleteWebhookRoute, deliveriesRoute, getWebhookRoute, listRoute, testRoute, updateWebhookRoute,
} from './routes.ts';

const toDto = (r: svc.WebhookRow) => ({
  id: r.id, url: r.url, events: r.events, description: r.description, enabled: r.enabled,
  secret_hint: `${r.secret.slice(0, 10)}…`, createdAt: r.createdAt, updatedAt: r.updatedAt,
});

const deliveryDto = (r: svc.DeliveryRow) => ({
  id: r.id, event_type: r.eventType, status: r.status as 'pending' | 'delivered' | 'failed', attempts: r.attempts,
  next_attempt_at: r.status === 'pending' ? new Date(r.nextAttemptAt).toISOString() : null,
  last_error: r.lastError, delivered_at: r.deliveredAt, createdAt: r.createdAt, payload: JSON.parse(r.body) as unknown,
});

const attemptDto = (r: svc.AttemptRow) => ({
  id: r.id, delivery_id: r.deliveryId, attempt: r.attempt, status_code: r.statusCode, error: r.error,
  duration_ms: r.durationMs, createdAt: r.createdAt,
});

export function webhookRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listRoute, async (c) => c.json((await svc.listWebhooks(c.get('deps').adb, c.get('principal').orgId)).map(toDto), 200))
    .openapi(createWebhookRoute, async (c) => {
      const row = await svc.createWebhook(c.get('deps').adb, c.get('principal').orgId, c.req.valid('json'));
      return c.json({ ...toDto(row), secret: row.secret }, 201);
    })
    .openapi(getWebhookRoute, async (c) => c.json(toDto(await svc.getWebhook(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id)), 200))
    .openapi(updateWebhookRoute, async (c) => {
      const { row, secret } = await svc.updateWebhook(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json'));
      return c.json({ ...toDto(row), ...(secret !== undefined ? { secret } : {}) }, 200);
    })
    .openapi(deleteWebhookRoute, async (c) => {
      await svc.deleteWebhook(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    })
    .openapi(deliveriesRoute, async (c) => {
      const { rows, total } = await svc.listDeliveries(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('query'));
      return c.json({ deliveries: rows.map(deliveryDto), total }, 200);
    })
    .openapi(attemptsRoute, async (c) => {
      const { rows, total } = await svc.listAttempts(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('query'));
      return c.json({ attempts: rows.map(attemptDto), total }, 200);
    })
    .openapi(testRoute, async (c) => {
      const deliveryId = await svc.queueTestDelivery(c.get('deps'), c.get('principal').orgId, c.req.valid('param').id);
      return c.json({ success: true as const, delivery_id: deliveryId }, 202);
    });
}
