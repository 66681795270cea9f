import { createRoute, z } from '@hono/zod-openapi';
import { CALL_OUTCOMES, CALL_STAGES } from '../../../call/outcome.ts';
import { ISO_INSTANT, KEY_PATTERN, MAX_KEYS } from '../../../simulate/request.ts';
import { SIMULATION_SOURCES } from '../../../simulate/types.ts';
import { requirePermission } from '../../middleware/auth.ts';
import { errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';

const tags = ['Simulator'];

// The rules (one of did/ivrId, key entries, the instant) are checked by src/simulate/request.ts, the one place
// of them; the patterns here are the same constants, for the reference and a 400 that names the field.
export const SimulateBody = z
  .object({
    did: z.string().min(1).max(32).optional().openapi({ example: '+918065978001', description: 'The number dialled (any format a call may carry); this or ivrId' }),
    ivrId: z.string().min(1).max(64).optional().openapi({ description: 'Start at this IVR instead of a DID' }),
    source: z.enum(SIMULATION_SOURCES).default('published').openapi({
      description: "published: the snapshot calls use now. draft: the organization's current configuration, compiled as publish compiles it (nothing is written)",
    }),
    keys: z.array(z.string().regex(KEY_PATTERN, 'must be 0-9, * and # (up to 10), or "timeout"')).max(MAX_KEYS).default([]).openapi({
      example: ['9', '2'],
      description: 'What the caller does at each digit collection, in order: keys ("1", "*", "1001#" for a direct dial) or "timeout" (no input). When they run out where a key is awaited, the caller hangs up',
    }),
    caller: z.string().min(1).max(64).optional().openapi({ example: '+919800000001', description: 'The caller\'s number (default "simulator")' }),
    at: z.string().regex(ISO_INSTANT, 'must be an ISO 8601 time with Z or an offset, e.g. 2026-03-09T15:00:00Z').optional()
      .openapi({ example: '2026-03-09T15:00:00Z', description: 'When the call happens (business hours); default now' }),
  })
  .strict()
  .openapi('SimulateRequest');

const inMenu = { ivrId: z.string().optional().openapi({ description: 'The menu the call was in' }) };

const EventSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('menu'), ivrId: z.string(), name: z.string() }),
    z.object({
      type: z.literal('prompt'), ...inMenu,
      name: z.string().openapi({ example: 'greeting', description: 'greeting, timeout, invalid, goodbye, unavailable, apology, confirm, beep, voicemail_greeting, play_prompt, not_in_service, file' }),
      file: z.string().openapi({ description: 'What FreeSWITCH plays (a wav path or a tone_stream)' }),
      text: z.string().optional().openapi({ description: 'The TTS text the file was rendered from' }),
    }),
    z.object({
      type: z.literal('input'), ...inMenu, keys: z.string(), digits: z.string().openapi({ description: 'What the collection took (its length; a terminator ends it)' }),
      accepted: z.boolean(), action: z.string().optional(), destination: z.string().nullable().optional(),
    }),
    z.object({ type: z.literal('timeout'), ivrId: z.string(), count: z.number().int(), max: z.number().int(), exhausted: z.boolean() }),
    z.object({ type: z.literal('invalid'), ivrId: z.string(), digits: z.string(), count: z.number().int(), max: z.number().int(), exhausted: z.boolean() }),
    z.object({ type: z.literal('action'), ...inMenu, action: z.string(), destination: z.string().nullable(), result: z.string().optional() }),
    z.object({
      type: z.literal('end'), kind: z.string(), destination: z.string().nullable(), outcome: z.enum(CALL_OUTCOMES), leftAt: z.enum(CALL_STAGES), cause: z.string().optional(),
    }),
  ])
  .openapi('SimulationEvent');

const EndSchema = z
  .object({
    kind: z.string().openapi({
      example: 'extension',
      description: 'extension, external, intercom, queue, voicemail, ai_agent (the far end is taken to answer), callback, hangup (the flow hung up), caller_hangup (the keys ran out)',
    }),
    destination: z.string().nullable(),
    outcome: z.enum(CALL_OUTCOMES).openapi({ description: "The call log's outcome word" }),
    leftAt: z.enum(CALL_STAGES).openapi({ description: "The call log's left_at" }),
    cause: z.string().optional().openapi({ description: 'Hangup cause, when the flow hung up' }),
  })
  .openapi('SimulationEnd');

const PathStepSchema = z
  .object({ at: z.string(), step: z.string() })
  .catchall(z.unknown())
  .openapi('CallPathStep', { description: "A step of the call log's path (ivr_path): did, ivr, digits, timeout, invalid, exhausted, action, loop_limit" });

export const SimulationSchema = z
  .object({
    source: z.enum(SIMULATION_SOURCES),
    did: z.string().nullable(),
    ivrId: z.string().nullable().openapi({ description: 'The first IVR the call entered' }),
    version: z.number().int().nullable().openapi({ description: 'The published version walked; null for the draft' }),
    events: z.array(EventSchema),
    ivrPath: z.array(PathStepSchema),
    end: EndSchema,
    unusedKeys: z.array(z.string()),
    problems: z.array(z.object({ code: z.string(), message: z.string(), path: z.string() }).catchall(z.unknown()))
      .openapi({ description: "The draft's publish problems (it is walked anyway); [] for the published configuration" }),
  })
  .openapi('Simulation');

export const simulate = createRoute({
  method: 'post', path: '/simulate', tags, security, middleware: [requirePermission('ivr.read')] as const,
  summary: 'Walk a call through the published (or draft) flow with scripted keys, without a phone',
  description:
    'Runs the call controller\'s own walker over a simulated channel: the prompts played, the keys taken or refused, the timeout and invalid rules, nested menus, ' +
    'direct dial, business hours (at), and where the call ends with the outcome its call log would carry. Nothing is rung, recorded, stored or sent.',
  request: jsonBody(SimulateBody),
  responses: {
    200: jsonContent(SimulationSchema, 'The walk'),
    ...errorResponses,
  },
});
