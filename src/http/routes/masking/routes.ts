import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, conflictResponse, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';

const err503 = { 503: { description: 'FreeSWITCH is not connected; no session was created', content: { 'application/json': { schema: z.object({ error: z.string(), code: z.string() }) } } } };

export const CreateBody = z
  .object({
    first_phone: z.string().min(3).max(32).openapi({ example: '9944421125' }),
    second_phone: z.string().min(3).max(32).openapi({ example: '9944421126' }),
    did: z.string().min(3).max(32).openapi({ example: '+918065978001', description: 'The number both parties see' }),
    duration_minutes: z.number().int().min(1).max(1440).default(60).openapi({ description: 'The session (and its call) ends after this' }),
  })
  .openapi('CreateMaskingSession');

export const UpdateBody = z
  .object({ duration_minutes: z.number().int().min(1).max(1440).openapi({ description: 'New lifetime, counted from the session start' }) })
  .openapi('UpdateMaskingSession');

export const SessionSchema = z
  .object({
    id: z.string(),
    status: z.enum(['active', 'ended', 'cancelled', 'expired']),
    did: z.string(),
    first_phone: z.string().openapi({ description: 'Masked (+9199******25); the real pair is never returned or kept after the end' }),
    second_phone: z.string(),
    expires_at: z.string().nullable(),
    ended_at: z.string().nullable(),
    logid: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('MaskingSession');

const LogSchema = z
  .object({
    call_id: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    did: z.string(),
    status: z.string(),
    started_at: z.string().nullable(),
    ended_at: z.string().nullable(),
    duration: z.number().int().nullable(),
    hangup_cause: z.string().nullable(),
  })
  .openapi('MaskingCallLog');

export const ListQuery = z.object({
  status: z.enum(['active', 'ended', 'cancelled', 'expired']).optional().openapi({ param: { name: 'status', in: 'query' } }),
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ param: { name: 'limit', in: 'query' } }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ param: { name: 'offset', in: 'query' } }),
});

const tags = ['Number masking'];
const authErrors = { 401: errorResponses[401], 403: errorResponses[403] };

export const createSessionRoute = createRoute({
  method: 'post', path: '/masking-sessions', tags, security, middleware: [requirePermission('masking.write')] as const,
  summary: 'Bridge two people through a DID so each sees only the DID',
  request: jsonBody(CreateBody),
  responses: { 201: jsonContent(SessionSchema, 'Session created; the call is dialing'), ...errorResponses, ...err503 },
});
export const listSessionsRoute = createRoute({
  method: 'get', path: '/masking-sessions', tags, security, middleware: [requirePermission('masking.read')] as const,
  summary: 'Masking sessions, newest first', request: { query: ListQuery },
  responses: { 200: jsonContent(z.object({ sessions: z.array(SessionSchema), total: z.number().int() }), 'Sessions'), 400: errorResponses[400], ...authErrors },
});
export const getSessionRoute = createRoute({
  method: 'get', path: '/masking-sessions/{id}', tags, security, middleware: [requirePermission('masking.read')] as const,
  summary: 'One session', request: { params: IdParam },
  responses: { 200: jsonContent(SessionSchema, 'Session'), ...errorResponses },
});
export const updateSessionRoute = createRoute({
  method: 'patch', path: '/masking-sessions/{id}', tags, security, middleware: [requirePermission('masking.write')] as const,
  summary: 'Change a live session\'s lifetime', request: { params: IdParam, ...jsonBody(UpdateBody) },
  responses: { 200: jsonContent(SessionSchema, 'Updated'), ...errorResponses, ...conflictResponse },
});
export const cancelSessionRoute = createRoute({
  method: 'delete', path: '/masking-sessions/{id}', tags, security, middleware: [requirePermission('masking.write')] as const,
  summary: 'Cancel a live session: hang up its call and forget the pair', request: { params: IdParam },
  responses: { 200: jsonContent(SessionSchema, 'Cancelled'), ...errorResponses, ...conflictResponse, ...err503 },
});
export const sessionLogsRoute = createRoute({
  method: 'get', path: '/masking-sessions/{id}/logs', tags, security, middleware: [requirePermission('masking.read')] as const,
  summary: 'Calls of a session (masked numbers: who, when, how long)', request: { params: IdParam },
  responses: { 200: jsonContent(z.array(LogSchema), 'Calls'), ...errorResponses },
});
