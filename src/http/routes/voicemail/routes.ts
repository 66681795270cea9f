import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';

export const VoicemailSchema = z
  .object({
    id: z.string(),
    extension: z.string().openapi({ example: '1001', description: 'The box: extension number the message was left for' }),
    caller: z.string().nullable().openapi({ example: '+919944421125' }),
    did: z.string().nullable().openapi({ example: '+918065978001' }),
    call_log_id: z.string().nullable().openapi({ description: 'The call that left it (GET /api/v1/call-logs/{id})' }),
    duration_ms: z.number().int(),
    heard: z.boolean(),
    audio_url: z.string().openapi({ description: 'audio/wav; ?token=<jwt> works for <audio> tags' }),
    createdAt: z.string(),
  })
  .openapi('VoicemailMessage');

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const ListQuery = z.object({
  extension: z.string().regex(/^\d{2,8}$/, 'must be an extension number').optional().openapi({ param: { name: 'extension', in: 'query' }, example: '1001' }),
  call_log_id: z.string().max(64).optional().openapi({ param: { name: 'call_log_id', in: 'query' } }),
  heard: flag.optional().openapi({ param: { name: 'heard', in: 'query' }, description: 'true or false' }),
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ param: { name: 'limit', in: 'query' } }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ param: { name: 'offset', in: 'query' } }),
});

const Page = z
  .object({ messages: z.array(VoicemailSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .openapi('VoicemailPage');

const PatchBody = z.object({ heard: z.boolean() }).openapi('UpdateVoicemailMessage');

const tags = ['Voicemail'];
const canRead = requirePermission('voicemail.read');
const canWrite = requirePermission('voicemail.write');
const readErrors = { 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] };

export const listVoicemail = createRoute({
  method: 'get', path: '/voicemail', tags, security, summary: 'Voicemail messages, newest first (filter by extension, call, heard)',
  middleware: [canRead] as const,
  request: { query: ListQuery },
  responses: { 200: jsonContent(Page, 'One page; total counts every match'), ...readErrors },
});

export const getVoicemail = createRoute({
  method: 'get', path: '/voicemail/{id}', tags, security, summary: 'One voicemail message',
  middleware: [canRead] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(VoicemailSchema, 'The message'), ...errorResponses },
});

export const voicemailAudio = createRoute({
  method: 'get', path: '/voicemail/{id}/audio', tags, security, summary: 'The recording (audio/wav); ?token=<jwt> works for <audio> tags',
  middleware: [canRead] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'WAV audio', content: { 'audio/wav': { schema: z.string().openapi({ format: 'binary' }) } } }, ...errorResponses },
});

export const patchVoicemail = createRoute({
  method: 'patch', path: '/voicemail/{id}', tags, security, summary: 'Mark a message heard or not heard',
  middleware: [canWrite] as const,
  request: { params: IdParam, ...jsonBody(PatchBody) },
  responses: { 200: jsonContent(VoicemailSchema, 'Updated'), ...errorResponses },
});

export const deleteVoicemail = createRoute({
  method: 'delete', path: '/voicemail/{id}', tags, security, summary: 'Delete a message and its recording',
  middleware: [canWrite] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses },
});
