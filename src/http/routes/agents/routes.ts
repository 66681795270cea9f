import { createRoute, z } from '@hono/zod-openapi';
import { AGENT_DIALECTS, AUDIO_FORMATS } from '../../../domain/agents.ts';
import { FINAL_DESTINATION_TYPES, isWsUrl } from '../../../domain/destinations.ts';
import { MASK } from '../../../services/agents/agent-service.ts';
import { requirePermission } from '../../middleware/auth.ts';
import { BotLegSchema } from '../call-logs/bot-legs.ts';
import { IdParam, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';

export const FALLBACK_TYPES = FINAL_DESTINATION_TYPES.filter((t) => t !== 'ai_agent');

const Fallback = z
  .object({ type: z.enum(FALLBACK_TYPES as [string, ...string[]]), value: z.string().max(2000).nullable() })
  .openapi('AgentFallback', { description: 'Where the call goes when the bot cannot be reached or fails' });

export const AiAgentSchema = z
  .object({
    id: z.string(),
    name: z.string().openapi({ example: 'Support bot' }),
    ws_url: z.string().openapi({ example: 'wss://bots.example.com/ws/support' }),
    headers: z.record(z.string(), z.string()).openapi({ description: `Header names; values are always shown as "${MASK}"`, example: { Authorization: MASK } }),
    dialect: z.enum(AGENT_DIALECTS),
    audio_format: z.enum(AUDIO_FORMATS),
    system_prompt: z.string().nullable(),
    language: z.string(),
    opening_text: z.string().nullable(),
    connect_timeout_ms: z.number().int(),
    fallback_destination: Fallback.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('AiAgent');

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const MAX_HEADERS = 20;
const MAX_HEADER_NAME_CHARS = 100;

export const AGENT_FIELDS = {
  name: z.string().trim().min(1).max(100),
  ws_url: z.string().trim().max(2000).refine(isWsUrl, 'must be a ws:// or wss:// URL'),
  headers: z
    .record(
      z.string().min(1).max(MAX_HEADER_NAME_CHARS).regex(HEADER_NAME, 'must be a valid HTTP header name'),
      z.string().max(4000).refine((v) => !/[\r\n\0]/.test(v), 'must not contain line breaks'),
    )
    .refine((h) => Object.keys(h).length <= MAX_HEADERS, `at most ${MAX_HEADERS} headers`)
    .openapi({
      description: `Sent on the WebSocket upgrade (at most ${MAX_HEADERS}; names up to ${MAX_HEADER_NAME_CHARS} characters). On update, a value of "${MASK}" keeps the stored value.`,
      maxProperties: MAX_HEADERS,
    }),
  dialect: z.enum(AGENT_DIALECTS),
  audio_format: z.enum(AUDIO_FORMATS),
  system_prompt: z.string().max(20_000).nullable(),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag, e.g. "en-IN"'),
  opening_text: z.string().max(2000).nullable(),
  connect_timeout_ms: z.number().int().min(500).max(10_000),
  fallback_destination: Fallback.nullable(),
};

export const CreateAiAgentBody = z
  .object({
    name: AGENT_FIELDS.name,
    ws_url: AGENT_FIELDS.ws_url,
    headers: AGENT_FIELDS.headers.default({}),
    dialect: AGENT_FIELDS.dialect.default('native'),
    audio_format: AGENT_FIELDS.audio_format.default('l16_16k'),
    system_prompt: AGENT_FIELDS.system_prompt.default(null),
    language: AGENT_FIELDS.language.default('en-IN'),
    opening_text: AGENT_FIELDS.opening_text.default(null),
    connect_timeout_ms: AGENT_FIELDS.connect_timeout_ms.default(3000),
    fallback_destination: AGENT_FIELDS.fallback_destination.default(null),
  })
  .openapi('CreateAiAgent');

export const UpdateAiAgentBody = z.object(AGENT_FIELDS).partial().openapi('UpdateAiAgent');

const tags = ['AI agents'];
const authErrors = { 401: errorResponses[401], 403: errorResponses[403] };

export const listAgents = createRoute({
  method: 'get', path: '/ai-agents', tags, security, summary: 'List AI voice agents',
  middleware: [requirePermission('agent.read')] as const,
  responses: { 200: jsonContent(z.array(AiAgentSchema), 'AI agents of your organization, by name'), ...authErrors },
});

export const getAgent = createRoute({
  method: 'get', path: '/ai-agents/{id}', tags, security, summary: 'Get one AI agent',
  middleware: [requirePermission('agent.read')] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(AiAgentSchema, 'The AI agent'), ...authErrors, 404: errorResponses[404] },
});

export const createAgent = createRoute({
  method: 'post', path: '/ai-agents', tags, security, summary: 'Create an AI agent',
  middleware: [requirePermission('agent.write')] as const,
  request: jsonBody(CreateAiAgentBody),
  responses: { 201: jsonContent(AiAgentSchema, 'Created'), ...errorResponses },
});

export const updateAgent = createRoute({
  method: 'put', path: '/ai-agents/{id}', tags, security, summary: 'Update an AI agent (partial; headers replace the whole set)',
  middleware: [requirePermission('agent.write')] as const,
  request: { params: IdParam, ...jsonBody(UpdateAiAgentBody) },
  responses: { 200: jsonContent(AiAgentSchema, 'Updated'), ...errorResponses },
});

export const deleteAgent = createRoute({
  method: 'delete', path: '/ai-agents/{id}', tags, security, summary: 'Delete an AI agent',
  middleware: [requirePermission('agent.write')] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...authErrors, 404: errorResponses[404] },
});

export const LegsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ param: { name: 'limit', in: 'query' } }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).openapi({ param: { name: 'offset', in: 'query' } }),
});

const LegPage = z
  .object({ legs: z.array(BotLegSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .openapi('BotLegPage');

export const listAgentLegs = createRoute({
  method: 'get', path: '/ai-agents/{id}/legs', tags, security, summary: 'Calls this agent took part in (bot legs), newest first',
  middleware: [requirePermission('agent.read')] as const,
  request: { params: IdParam, query: LegsQuery },
  responses: { 200: jsonContent(LegPage, 'One page; total counts every leg of the agent'), ...errorResponses },
});

export const TestConnectBody = z
  .object({
    timeout_ms: z.number().int().min(100).max(10_000).optional().openapi({ description: "Longest wait for the handshake; default the agent's connect_timeout_ms" }),
  })
  .openapi('TestConnectAgent');

const ConnectProbeSchema = z
  .object({
    ok: z.boolean(),
    latency_ms: z.number().int().openapi({ description: 'Handshake time when ok; time until the failure otherwise' }),
    error: z.string().nullable().openapi({ example: 'Unexpected server response: 404' }),
  })
  .openapi('AgentConnectProbe');

export const testConnect = createRoute({
  method: 'post', path: '/ai-agents/{id}/test-connect', tags, security,
  summary: "Open the agent's WebSocket (URL and headers) as a call would, then close it: ok or the error, and the latency",
  middleware: [requirePermission('agent.write')] as const,
  request: { params: IdParam, body: { content: { 'application/json': { schema: TestConnectBody } }, required: false } },
  responses: { 200: jsonContent(ConnectProbeSchema, 'The result; a bot that cannot be reached is ok: false, not an HTTP error'), ...errorResponses },
});
