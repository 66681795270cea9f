/** Call flows, and the outbound calls the controller runs once answered: flow, tts (text template) and bot calls. */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { requirePermission } from '../../middleware/auth.ts';
import { errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';
import { listCallFlows, placeBotCall, placeFlowCall, placeTtsCall, type PlacedResult } from '../../../services/calls/placed-calls.ts';
import { placeDeps } from './deps.ts';
import { AGENT_FIELDS } from '../agents/routes.ts';
import { err503 } from './routes.ts';

const tags = ['Calls'];

const scheduled = {
  did: z.string().min(3).max(32).openapi({ example: '+918065978001', description: 'One of the organization\'s DIDs: the caller ID the customer sees' }),
  customer_number: z.string().min(3).max(32).openapi({ example: '09944421125', description: 'E.164 or local format' }),
  schedule_datetime: z.string().optional().openapi({ example: '2026-05-01 10:30', description: 'Local time in `timezone`, or ISO 8601 with an offset; absent: now' }),
  timezone: z.string().optional().openapi({ example: 'Asia/Kolkata', description: 'IANA time zone of schedule_datetime (default UTC)' }),
};

const FlowCallBody = z.object({ ...scheduled, flow_id: z.string().min(1).max(64).openapi({ description: 'A published IVR (GET /call-flows)' }) }).openapi('FlowCall');

const VARIABLES = z
  .union([
    z.record(z.string().min(1).max(40), z.string().max(500)).refine((v) => Object.keys(v).length <= 50, 'at most 50 variables'),
    z.array(z.string().max(500)).max(50),
    z.string().max(5000),
  ])
  .optional()
  .openapi({ description: 'Placeholder values: {"name": "John"} for {{name}}, ["John", "ORD1"] or "John,ORD1" for {{1}}, {{2}}' });

const TtsCallBody = z
  .object({
    ...scheduled,
    template: z.string().min(1).max(64).openapi({ description: 'Template id or name', example: 'api_order_confirm' }),
    variables: VARIABLES,
    Variable: z.string().max(5000).optional().openapi({ description: 'The vendor\'s comma-separated positional values (same as a string `variables`)' }),
    flow_id: z.string().min(1).max(64).nullable().optional().openapi({ description: 'A published IVR whose menu follows the message ("press 1 to confirm")' }),
  })
  .openapi('TtsCall');

const BotCallBody = z
  .object({
    ...scheduled,
    agent_id: z.string().min(1).max(64).nullable().optional().openapi({ description: 'A published AI agent (GET /ai-agents); or give wss_url' }),
    wss_url: AGENT_FIELDS.ws_url.nullable().optional().openapi({ description: 'An ad-hoc bot WebSocket; or give agent_id' }),
    headers: AGENT_FIELDS.headers.optional(),
    system_msg: z.string().max(20_000).nullable().optional(),
    text: z.string().max(2000).nullable().optional().openapi({ description: 'Opening text for the bot to speak' }),
    language: AGENT_FIELDS.language.nullable().optional(),
    connect: z.enum(['answer', 'immediate']).optional().openapi({ description: '`answer` (default): the WebSocket opens when the customer answers; `immediate`: as the call is dialled' }),
    agent_extension: z.string().regex(/^\d{2,8}$/).nullable().optional().openapi({ description: 'Extension for a hybrid hand-off: takes the customer when the bot fails' }),
    parameters: z.record(z.string().min(1).max(40), z.string().max(500)).refine((v) => Object.keys(v).length <= 20, 'at most 20 parameters').optional()
      .openapi({ description: 'Extra custom parameters for the bot\'s `start`' }),
  })
  .openapi('BotCall');

const Placed = z
  .object({ status: z.literal('success'), message: z.string(), logid: z.string(), scheduled_at: z.string().nullable() })
  .openapi('PlacedFlowCall');

const CallFlow = z.object({ id: z.string(), name: z.string(), description: z.string().nullable(), extension: z.string() }).openapi('CallFlow');

const place = (path: string, body: z.ZodType, summary: string) =>
  createRoute({
    method: 'post', path, tags, security, middleware: [requirePermission('call.write')] as const, summary,
    request: jsonBody(body),
    responses: { 200: jsonContent(Placed, 'Dialing or scheduled'), ...errorResponses, ...err503 },
  });

const flowsRoute = createRoute({
  method: 'get', path: '/call-flows', tags, security, middleware: [requirePermission('call.read')] as const,
  summary: 'The organization\'s call flows: the IVRs of its latest published configuration',
  responses: { 200: jsonContent(z.object({ flows: z.array(CallFlow) }), 'Call flows'), ...errorResponses },
});
const flowRoute = place('/calls/flow', FlowCallBody, 'Call a customer (showing the DID) and run a call flow\'s menu; keys are logged');
const ttsRoute = place('/calls/tts', TtsCallBody, 'Call a customer and speak a rendered text template, optionally followed by a call flow\'s menu');
const botRoute = place('/calls/bot', BotCallBody, 'Call a customer and hand the answered call to an AI agent');

const placed = (r: PlacedResult) => ({
  status: 'success' as const,
  message: r.scheduledAt === null ? 'Call initiated' : 'Call scheduled',
  logid: r.id,
  scheduled_at: r.scheduledAt === null ? null : new Date(r.scheduledAt).toISOString(),
});

export function placedCallRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(flowsRoute, async (c) => c.json({ flows: await listCallFlows(c.get('deps').adb, c.get('principal').orgId) }, 200))
    .openapi(flowRoute, async (c) => c.json(placed(await placeFlowCall(placeDeps(c.get('deps')), c.get('principal').orgId, c.req.valid('json') as z.infer<typeof FlowCallBody>)), 200))
    .openapi(ttsRoute, async (c) => {
      const b = c.req.valid('json') as z.infer<typeof TtsCallBody>;
      return c.json(placed(await placeTtsCall(placeDeps(c.get('deps')), c.get('principal').orgId, { ...b, variables: b.variables ?? b.Variable })), 200);
    })
    .openapi(botRoute, async (c) => c.json(placed(await placeBotCall(placeDeps(c.get('deps')), c.get('principal').orgId, c.req.valid('json') as z.infer<typeof BotCallBody>)), 200));
}
