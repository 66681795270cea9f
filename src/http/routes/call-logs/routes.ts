import { CALL_OUTCOMES, CALL_STAGES } from '../../../call/outcome.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';
import { BotLegSchema } from './bot-legs.ts';
import { CALL_TYPES } from '../../../services/call-logs/store.ts';

export const CallLogSchema = z
  .object({
    id: z.string().openapi({ description: 'Call log id (the `logid` of placed calls)' }),
    call_uuid: z.string(),
    switch_id: z.string().nullable().openapi({ description: 'The switch that carried the call (its id in SWITCHES); null when it is not known' }),
    type: z.string().openapi({ example: 'inbound', description: 'inbound | click_to_call | two_party | masking | dialer' }),
    direction: z.enum(['inbound', 'outbound']),
    did: z.string().nullable(),
    caller_number: z.string().nullable().openapi({ description: 'Caller / client number (masked for masking calls)' }),
    agent: z.string().nullable().openapi({ description: 'Agent extension' }),
    attended_by: z.string().nullable(),
    start_time: z.string(),
    answered_at: z.string().nullable(),
    end_time: z.string().nullable(),
    duration: z.number().int().nullable().openapi({ description: 'Seconds' }),
    status: z.enum(['in_progress', 'answered', 'missed', 'failed']),
    outcome: z.string().nullable().openapi({ description: 'How the call ended: one of the outcomes in docs/call-outcomes.md (connected, voicemail, bot_completed, abandoned, no_input, …)', enum: [...CALL_OUTCOMES] }),
    left_at: z.string().nullable().openapi({ description: 'The stage the call ended in', enum: [...CALL_STAGES] }),
    hangup_cause: z.string().nullable(),
    disposition: z.string().nullable().openapi({ description: 'Latest disposition set through notes' }),
    recording_url: z.string().nullable(),
    dtmf_input: z.string(),
    ivr_path: z.array(z.unknown()),
    contact: z
      .object({ id: z.string(), name: z.string(), variables: z.record(z.string(), z.string()) })
      .nullable()
      .openapi({ description: 'The caller\'s saved contact when the call arrived (inbound calls), with its call variables; null when unknown' }),
  })
  .openapi('CallLog');

export const CallLogDetailSchema = CallLogSchema.extend({
  bot_legs: z.array(BotLegSchema).openapi({ description: 'AI-agent legs of the call, in the order they ran (empty when no bot took part)' }),
}).openapi('CallLogDetail');

const dateish = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO date (2025-01-31) or date-time')
  .optional();

export const ListQuery = z.object({
  from: dateish.openapi({ param: { name: 'from', in: 'query' }, description: 'Start time >= this (inclusive)' }),
  to: dateish.openapi({ param: { name: 'to', in: 'query' }, description: 'Start time before this; a bare date includes that whole day' }),
  phone: z.string().min(3).max(32).optional().openapi({ param: { name: 'phone', in: 'query' } }),
  type: z.enum(CALL_TYPES).optional().openapi({ param: { name: 'type', in: 'query' } }),
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ param: { name: 'limit', in: 'query' } }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).openapi({ param: { name: 'offset', in: 'query' } }),
});

const Page = z
  .object({ calls: z.array(CallLogSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .openapi('CallLogPage');

export const SyncQuery = z.object({
  after: z.coerce.number().int().min(0).optional().openapi({ param: { name: 'after', in: 'query' }, description: 'The `next_after` of the previous sync (0 = from the start)' }),
  after_id: z.string().min(1).optional().openapi({ param: { name: 'after_id', in: 'query' }, description: 'Or: the last call log id already received; comma-separate one per call type' }),
  type: z.enum(CALL_TYPES).optional().openapi({ param: { name: 'type', in: 'query' } }),
  limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ param: { name: 'limit', in: 'query' } }),
});

const SyncPage = z
  .object({
    calls: z.array(CallLogSchema.extend({ seq: z.number().int() })),
    next_after: z.number().int().openapi({ description: 'Pass as `after` next time' }),
    has_more: z.boolean(),
  })
  .openapi('CallLogSync');

export const NoteSchema = z
  .object({
    id: z.string(),
    call_id: z.string(),
    disposition_id: z.string().nullable(),
    disposition: z.string().nullable(),
    note: z.string().nullable(),
    author_id: z.string(),
    createdAt: z.string(),
  })
  .openapi('CallNote');

export const NoteBody = z
  .object({
    disposition_id: z.string().min(1).optional(),
    disposition: z.string().min(1).max(100).optional().openapi({ description: 'Disposition by name (alternative to disposition_id)' }),
    note: z.string().min(1).max(5000).optional(),
  })
  .refine((b) => b.disposition_id !== undefined || b.disposition !== undefined || b.note !== undefined, {
    message: 'give a disposition_id, a disposition or a note',
  })
  .openapi('CreateCallNote');

const CallParam = z.object({
  id: z.string().min(1).openapi({ param: { name: 'id', in: 'path' }, description: 'Call log id or the call\'s UUID / SIP call id' }),
});

const tags = ['Call logs'];
const readErrors = { 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] };

export const listRoute = createRoute({
  method: 'get', path: '/call-logs', tags, security, middleware: [requirePermission('call.read')] as const,
  summary: 'Call logs, newest first: by date range, phone number and type (click-to-call, masking, …)',
  request: { query: ListQuery },
  responses: { 200: jsonContent(Page, 'One page; total counts every match'), ...readErrors },
});

export const syncRoute = createRoute({
  method: 'get', path: '/call-logs/sync', tags, security, middleware: [requirePermission('call.read')] as const,
  summary: 'Incremental sync: finished calls of every type after a cursor, oldest first',
  request: { query: SyncQuery },
  responses: { 200: jsonContent(SyncPage, 'Calls after the cursor'), ...errorResponses },
});

export const getRoute = createRoute({
  method: 'get', path: '/call-logs/{id}', tags, security, middleware: [requirePermission('call.read')] as const,
  summary: 'One call log, with its bot legs',
  request: { params: CallParam },
  responses: { 200: jsonContent(CallLogDetailSchema, 'The call'), ...errorResponses },
});

export const listNotesRoute = createRoute({
  method: 'get', path: '/call-logs/{id}/notes', tags, security, middleware: [requirePermission('call.read')] as const,
  summary: 'Notes and disposition history of a call, newest first',
  request: { params: CallParam },
  responses: { 200: jsonContent(z.array(NoteSchema), 'History'), ...errorResponses },
});

export const createNoteRoute = createRoute({
  method: 'post', path: '/call-logs/{id}/notes', tags, security, middleware: [requirePermission('call.write')] as const,
  summary: 'Set a disposition and/or add a note to a call',
  request: { params: CallParam, ...jsonBody(NoteBody) },
  responses: { 201: jsonContent(NoteSchema, 'Added'), ...errorResponses },
});

export { IdParam };
