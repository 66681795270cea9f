import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../middleware/auth.ts';
import { errorResponses, jsonContent, security } from '../../schemas.ts';

export const LiveCallSchema = z
  .object({
    call_id: z.string().openapi({ description: 'The call log id' }),
    did: z.string().nullable(),
    caller: z.string().nullable(),
    contact_name: z.string().nullable(),
    started_at: z.string(),
    answered_at: z.string().nullable(),
    state: z.enum(['ringing', 'answered', 'in_menu', 'transferred', 'bridged', 'bot', 'in_progress']).openapi({
      description: 'in_progress: a call another instance runs (only its call log row is known here)',
    }),
    ivr_id: z.string().nullable().openapi({ description: 'The menu the caller is in (or the DID\'s IVR before any key)' }),
    ivr_name: z.string().nullable(),
    digits: z.string().openapi({ description: 'Keys pressed so far' }),
    last_selection: z.object({ ivr_id: z.string(), digits: z.string(), action: z.string(), destination: z.string().nullable() }).nullable(),
    with: z.string().nullable().openapi({ example: 'queue 5001@acme.sip', description: 'Whom the caller is with or being sent to' }),
    source: z.enum(['this_instance', 'other_instance']),
  })
  .openapi('LiveCall');

const tags = ['Live calls'];
const canRead = requirePermission('call.read');
const auth = { 401: errorResponses[401], 403: errorResponses[403] };

export const listLive = createRoute({
  method: 'get', path: '/live-calls', tags, security, middleware: [canRead] as const,
  summary: 'Calls in progress now, on every instance (this one\'s with their menu, keys and whom they are with)',
  responses: { 200: jsonContent(z.object({ calls: z.array(LiveCallSchema), at: z.string() }).openapi('LiveCalls'), 'Calls in progress, oldest first'), ...auth },
});

export const streamLive = createRoute({
  method: 'get', path: '/live-calls/stream', tags, security, middleware: [canRead] as const,
  summary: 'Server-sent events: `snapshot` ({calls, at}) at once and every LIVE_CALLS_REFRESH_MS, `update` ({call_id, event, call|null}) on every call event',
  description: 'Authenticate with the usual headers, or `?token=<jwt>` (EventSource cannot send headers).',
  responses: {
    200: { content: { 'text/event-stream': { schema: z.string() } }, description: 'An endless event stream' },
    ...auth,
  },
});
