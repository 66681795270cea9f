import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, conflictResponse, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';
import { WEBHOOK_EVENTS, isValidEventPattern } from '../../../services/webhooks/outbox.ts';

const url = z
  .string()
  .url()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL')
  .openapi({ example: 'https://crm.example.com/hooks/calls' });
const events = z
  .array(z.string().refine(isValidEventPattern, `must be one of ${WEBHOOK_EVENTS.join(', ')}, a prefix wildcard (call.*, bot.*) or *`))
  .min(1)
  .max(50)
  .openapi({ example: ['call.answered', 'call.hangup'] });
const secret = z.string().min(16).max(200).openapi({ description: 'HMAC key; generated (whsec_…) when omitted' });

export const WebhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    description: z.string().nullable(),
    enabled: z.boolean(),
    secret_hint: z.string().openapi({ example: 'whsec_1a2b…', description: 'First characters of the secret' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Webhook');

const WithSecret = WebhookSchema.extend({ secret: z.string().openapi({ description: 'Shown on create and when rotated' }) }).openapi('WebhookWithSecret');

export const CreateBody = z
  .object({ url, events, secret: secret.optional(), description: z.string().max(500).optional(), enabled: z.boolean().default(true) })
  .openapi('CreateWebhook');

export const UpdateBody = z
  .object({
    url: url.optional(),
    events: events.optional(),
    secret: secret.optional(),
    rotate_secret: z.boolean().optional().openapi({ description: 'Generate a new secret (returned once)' }),
    description: z.string().max(500).nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .openapi('UpdateWebhook');

const AttemptSchema = z
  .object({
    id: z.string(),
    delivery_id: z.string(),
    attempt: z.number().int(),
    status_code: z.number().int().nullable(),
    error: z.string().nullable(),
    duration_ms: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('WebhookAttempt');

const DeliverySchema = z
  .object({
    id: z.string(),
    event_type: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    next_attempt_at: z.string().nullable(),
    last_error: z.string().nullable(),
    delivered_at: z.string().nullable(),
    createdAt: z.string(),
    payload: z.unknown(),
  })
  .openapi('WebhookDelivery');

export const PageQuery = z.object({
  status: z.enum(['pending', 'delivered', 'failed']).optional().openapi({ param: { name: 'status', in: 'query' } }),
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ param: { name: 'limit', in: 'query' } }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ param: { name: 'offset', in: 'query' } }),
});

const tags = ['Webhooks'];
const authErrors = { 401: errorResponses[401], 403: errorResponses[403] };

export const listRoute = createRoute({
  method: 'get', path: '/webhooks', tags, security, middleware: [requirePermission('webhook.read')] as const, summary: 'Webhook endpoints of your organization',
  responses: { 200: jsonContent(z.array(WebhookSchema), 'Endpoints'), ...authErrors },
});
export const createWebhookRoute = createRoute({
  method: 'post', path: '/webhooks', tags, security, middleware: [requirePermission('webhook.write')] as const,
  summary: 'Register an endpoint. Deliveries are POSTed with X-Webhook-Id, X-Webhook-Event, X-Webhook-Timestamp and X-Webhook-Signature: v1=hex(HMAC-SHA256(secret, timestamp + "." + body))',
  request: jsonBody(CreateBody),
  responses: { 201: jsonContent(WithSecret, 'Created; the secret is shown now'), ...errorResponses, ...conflictResponse },
});
export const getWebhookRoute = createRoute({
  method: 'get', path: '/webhooks/{id}', tags, security, middleware: [requirePermission('webhook.read')] as const, summary: 'One endpoint',
  request: { params: IdParam }, responses: { 200: jsonContent(WebhookSchema, 'Endpoint'), ...errorResponses },
});
export const updateWebhookRoute = createRoute({
  method: 'put', path: '/webhooks/{id}', tags, security, middleware: [requirePermission('webhook.write')] as const, summary: 'Update an endpoint (partial)',
  request: { params: IdParam, ...jsonBody(UpdateBody) },
  responses: { 200: jsonContent(WebhookSchema.extend({ secret: z.string().optional() }), 'Updated'), ...errorResponses, ...conflictResponse },
});
export const deleteWebhookRoute = createRoute({
  method: 'delete', path: '/webhooks/{id}', tags, security, middleware: [requirePermission('webhook.write')] as const, summary: 'Delete an endpoint and its pending deliveries',
  request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...authErrors, 404: errorResponses[404] },
});
export const deliveriesRoute = createRoute({
  method: 'get', path: '/webhooks/{id}/deliveries', tags, security, middleware: [requirePermission('webhook.read')] as const, summary: 'Deliveries (outbox rows) of an endpoint, newest first',
  request: { params: IdParam, query: PageQuery },
  responses: { 200: jsonContent(z.object({ deliveries: z.array(DeliverySchema), total: z.number().int() }), 'Deliveries'), ...errorResponses },
});
export const attemptsRoute = createRoute({
  method: 'get', path: '/webhooks/{id}/attempts', tags, security, middleware: [requirePermission('webhook.read')] as const, summary: 'Every delivery attempt to an endpoint, newest first',
  request: { params: IdParam, query: PageQuery.omit({ status: true }) },
  responses: { 200: jsonContent(z.object({ attempts: z.array(AttemptSchema), total: z.number().int() }), 'Attempts'), ...errorResponses },
});
export const testRoute = createRoute({
  method: 'post', path: '/webhooks/{id}/test', tags, security, middleware: [requirePermission('webhook.write')] as const, summary: 'Queue a webhook.test delivery to this endpoint',
  request: { params: IdParam },
  responses: { 202: jsonContent(z.object({ success: z.literal(true), delivery_id: z.string() }), 'Queued'), ...authErrors, 404: errorResponses[404], ...conflictResponse },
});
