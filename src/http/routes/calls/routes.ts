import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, conflictResponse, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';

export const err503 = { 503: { description: 'FreeSWITCH is not connected; nothing was placed', content: { 'application/json': { schema: z.object({ error: z.string(), code: z.string() }) } } } };

export const ClickToCallBody = z
  .object({
    did: z.string().min(3).max(32).optional().openapi({ example: '+918065978001', description: "Caller ID the customer sees; default: the caller-ID DID of the extension's agent" }),
    ext_no: z.string().regex(/^\d{2,8}$/, 'must be an extension number').openapi({ example: '1001' }),
    phone: z.string().min(3).max(32).openapi({ example: '09944421125', description: 'Customer number (E.164 or local format)' }),
  })
  .openapi('ClickToCall');

export const TwoPartyBody = z
  .object({
    did: z.string().min(3).max(32),
    first_phone: z.string().min(3).max(32),
    second_phone: z.string().min(3).max(32),
    body: z.string().min(1).max(1000).optional().openapi({ description: 'Intro spoken to the first party before the second is dialled' }),
    schedule_datetime: z.string().optional().openapi({ example: '2026-05-01 10:30', description: 'Local time in `timezone`, or ISO with offset' }),
    timezone: z.string().optional().openapi({ example: 'Asia/Kolkata' }),
  })
  .openapi('TwoPartyCall');

const Placed = z
  .object({ status: z.literal('success'), message: z.string(), logid: z.string(), scheduled_at: z.string().nullable().optional() })
  .openapi('PlacedCall');

export const CallStatusSchema = z
  .object({
    id: z.string(),
    logid: z.string(),
    type: z.string(),
    status: z.string().openapi({ description: 'scheduled | dialing | ringing | answered | bridged | ended | failed | cancelled' }),
    did: z.string().nullable(),
    agent: z.string().nullable(),
    first_number: z.string().nullable(),
    second_number: z.string().nullable(),
    hangup_cause: z.string().nullable(),
    scheduled_at: z.string().nullable(),
    started_at: z.string().nullable(),
    answered_at: z.string().nullable(),
    bridged_at: z.string().nullable(),
    ended_at: z.string().nullable(),
  })
  .openapi('CallStatus');

const RecordingSchema = z.object({ id: z.string(), call_id: z.string(), url: z.string(), createdAt: z.string() }).openapi('Recording');
const RecordingParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' } }),
  recordingId: z.string().openapi({ param: { name: 'recordingId', in: 'path' } }),
});

const tags = ['Calls'];

export const clickToCallRoute = createRoute({
  method: 'post', path: '/calls/click-to-call', tags, security, middleware: [requirePermission('call.write')] as const,
  summary: 'Ring the agent\'s extension, then the customer (showing the DID), and bridge them',
  request: jsonBody(ClickToCallBody),
  responses: { 200: jsonContent(Placed, 'Dialing'), ...errorResponses, ...err503 },
});

export const clickToCallGetRoute = createRoute({
  method: 'get', path: '/calls/click-to-call', tags, security, middleware: [requirePermission('call.write')] as const,
  summary: 'Click-to-call by URL (query parameters + ?token=<jwt>), for tools that can only fire a link',
  request: { query: ClickToCallBody },
  responses: { 200: jsonContent(Placed, 'Dialing'), ...errorResponses, ...err503 },
});

export const twoPartyRoute = createRoute({
  method: 'post', path: '/calls/two-party', tags, security, middleware: [requirePermission('call.write')] as const,
  summary: 'Call the first party, play the intro, then dial and bridge the second; optionally scheduled',
  request: jsonBody(TwoPartyBody),
  responses: { 200: jsonContent(Placed, 'Dialing or scheduled'), ...errorResponses, ...err503 },
});

export const statusRoute = createRoute({
  method: 'get', path: '/calls/{id}', tags, security, middleware: [requirePermission('call.read')] as const,
  summary: 'Live status of a call (placed or inbound): ringing, answered, bridged, ended + cause',
  request: { params: IdParam },
  responses: { 200: jsonContent(CallStatusSchema, 'Status'), ...errorResponses },
});

export const hangupRoute = createRoute({
  method: 'post', path: '/calls/{id}/hangup', tags, security, middleware: [requirePermission('call.write')] as const,
  summary: 'Hang up a live call, or cancel a scheduled one',
  request: { params: IdParam },
  responses: { 200: jsonContent(z.object({ status: z.literal('success'), message: z.string() }), 'Hung up / cancelled'), ...errorResponses, ...conflictResponse, ...err503 },
});

export const recordingsRoute = createRoute({
  method: 'get', path: '/calls/{id}/recordings', tags, security, middleware: [requirePermission('call.read')] as const,
  summary: 'Recordings of a bridged call',
  request: { params: IdParam },
  responses: { 200: jsonContent(z.array(RecordingSchema), 'Recordings'), ...errorResponses },
});

export const downloadRoute = createRoute({
  method: 'get', path: '/calls/{id}/recordings/{recordingId}/download', tags, security, middleware: [requirePermission('call.read')] as const,
  summary: 'Download a recording (audio/wav); ?token=<jwt> works for <audio> tags',
  request: { params: RecordingParams },
  responses: { 200: { description: 'WAV audio', content: { 'audio/wav': { schema: z.string().openapi({ format: 'binary' }) } } }, ...errorResponses },
});
