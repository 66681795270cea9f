import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { CALLBACK_STATUSES, listCallbacks, setCallbackStatus, type CallbackRow } from '../../../services/callbacks/callback-service.ts';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';

const CallbackSchema = z
  .object({
    id: z.string(),
    caller_number: z.string().openapi({ example: '+919944421125' }),
    did: z.string().nullable().openapi({ example: '+918065978001' }),
    ivr_id: z.string().nullable(),
    call_uuid: z.string().nullable(),
    status: z.enum(CALLBACK_STATUSES),
    createdAt: z.string(),
  })
  .openapi('CallbackRequest');

const ListQuery = z.object({
  status: z.enum(CALLBACK_STATUSES).optional().openapi({ param: { name: 'status', in: 'query' } }),
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ param: { name: 'limit', in: 'query' } }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ param: { name: 'offset', in: 'query' } }),
});

const Page = z
  .object({ callbacks: z.array(CallbackSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .openapi('CallbackPage');

const PatchBody = z.object({ status: z.enum(CALLBACK_STATUSES) }).openapi('UpdateCallbackRequest');

const tags = ['Callbacks'];

const list = createRoute({
  method: 'get', path: '/callbacks', tags, security, summary: 'Callback requests left by callers, newest first',
  middleware: [requirePermission('callback.read')] as const,
  request: { query: ListQuery },
  responses: { 200: jsonContent(Page, 'One page; total counts every match'), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
});

const patch = createRoute({
  method: 'patch', path: '/callbacks/{id}', tags, security, summary: 'Mark a callback request done or cancelled',
  middleware: [requirePermission('callback.write')] as const,
  request: { params: IdParam, ...jsonBody(PatchBody) },
  responses: { 200: jsonContent(CallbackSchema, 'Updated'), ...errorResponses },
});

const toDto = (r: CallbackRow) => ({
  id: r.id, caller_number: r.callerNumber, did: r.did, ivr_id: r.ivrId, call_uuid: r.callUuid,
  status: r.status as (typeof CALLBACK_STATUSES)[number], createdAt: r.createdAt,
});

export function callbackRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const { rows, total } = await listCallbacks(c.get('deps').adb, c.get('principal').orgId, q);
      return c.json({ callbacks: rows.map(toDto), total, limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(patch, async (c) => {
      const row = await setCallbackStatus(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json').status);
      return c.json(toDto(row), 200);
    });
}
