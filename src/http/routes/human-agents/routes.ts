import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, conflictResponse, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';
import { PASSWORD_POLICY_TEXT } from '../../../services/human-agents/password-policy.ts';

const Instant = z.string().datetime({ offset: true }).openapi({ example: '2026-12-31T18:30:00Z', description: 'ISO 8601 with a zone; stored in UTC' });

export const AgentSchema = z
  .object({
    id: z.string(),
    name: z.string().openapi({ example: 'Asha Rao' }),
    email: z.string().openapi({ example: 'asha@example.com' }),
    phone: z.string().nullable().openapi({ example: '+919876543210' }),
    enabled: z.boolean(),
    disabled_reason: z.enum(['admin', 'expired']).nullable().openapi({ description: 'Why the agent is disabled: switched off, or past expires_at' }),
    expires_at: z.string().nullable(),
    user_id: z.string().openapi({ description: 'The login (POST /auth/user-login with the email and password)' }),
    extension: z.object({ id: z.string(), number: z.string().openapi({ example: '1001' }) }),
    caller_id_did: z.object({ id: z.string(), number: z.string() }).nullable().openapi({ description: 'What click-to-call shows when the agent calls without naming a DID' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Agent');

const CreatedAgentSchema = AgentSchema.extend({
  sip_password: z.string().openapi({ description: "The extension's SIP password: shown only in this response" }),
}).openapi('CreatedAgent');

const ChangedAgentSchema = AgentSchema.extend({
  warnings: z.array(z.string()).openapi({ description: 'What the switch did not take (the change is saved and the directory already follows it)' }),
}).openapi('ChangedAgent');

const CreateAgentBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    email: z.string().trim().email().max(254),
    password: z.string().max(1000).openapi({ description: `The agent's login password. Policy: ${PASSWORD_POLICY_TEXT} A violation is a 400 naming each broken rule.` }),
    phone: z.string().min(3).max(32).nullable().optional().openapi({ example: '9876543210', description: "The agent's own phone (any format; stored as E.164)" }),
    extension: z.string().regex(/^\d{4}$/, 'must be a 4-digit number, e.g. "1001"').optional().openapi({ description: 'Default: the next free number from 1001' }),
    expires_at: Instant.nullable().optional().openapi({ description: 'From this instant the agent can neither log in, register nor be called' }),
    caller_id_did: z.string().min(3).max(64).nullable().optional().openapi({ description: "One of the organization's active DIDs (id or number)" }),
  })
  .openapi('CreateAgent');

const UpdateAgentBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    phone: z.string().min(3).max(32).nullable(),
    enabled: z.boolean(),
    expires_at: Instant.nullable().openapi({ description: 'null = never; a past instant disables the agent at once' }),
    caller_id_did: z.string().min(3).max(64).nullable().openapi({ description: "One of the organization's active DIDs (id or number), or null" }),
  })
  .partial()
  .openapi('UpdateAgent');

const ListQuery = z.object({
  enabled: z.enum(['true', 'false']).optional().openapi({ param: { name: 'enabled', in: 'query' } }),
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ param: { name: 'limit', in: 'query' } }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).openapi({ param: { name: 'offset', in: 'query' } }),
});

const Page = z.object({ agents: z.array(AgentSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() }).openapi('AgentPage');

const tags = ['Agents'];
const read = requirePermission('user.read');
const write = requirePermission('user.write');
const authErrors = { 401: errorResponses[401], 403: errorResponses[403] };

export const listAgentsRoute = createRoute({
  method: 'get', path: '/agents', tags, security, middleware: [read] as const, request: { query: ListQuery },
  summary: 'Human agents (a login and an extension each), by extension number',
  responses: { 200: jsonContent(Page, 'One page; total counts every match'), 400: errorResponses[400], ...authErrors },
});

export const getAgentRoute = createRoute({
  method: 'get', path: '/agents/{id}', tags, security, middleware: [read] as const, request: { params: IdParam },
  summary: 'One agent', responses: { 200: jsonContent(AgentSchema, 'The agent'), ...authErrors, 404: errorResponses[404] },
});

export const createAgentRoute = createRoute({
  method: 'post', path: '/agents', tags, security, middleware: [write] as const, request: jsonBody(CreateAgentBody),
  summary: 'Create an agent: a member login and an extension, in one step (admin)',
  description: `Password policy: ${PASSWORD_POLICY_TEXT} An email already used by any user is a 409.`,
  responses: { 201: jsonContent(CreatedAgentSchema, 'Created'), ...errorResponses, ...conflictResponse },
});

export const updateAgentRoute = createRoute({
  method: 'patch', path: '/agents/{id}', tags, security, middleware: [write] as const, request: { params: IdParam, ...jsonBody(UpdateAgentBody) },
  summary: 'Change an agent; enabling or disabling goes live at once (login, registration, calls)',
  responses: { 200: jsonContent(ChangedAgentSchema, 'Updated'), ...errorResponses },
});

export const deleteAgentRoute = createRoute({
  method: 'delete', path: '/agents/{id}', tags, security, middleware: [write] as const, request: { params: IdParam },
  summary: 'Delete an agent: its login is removed; its extension stays, disabled and owner-less',
  responses: { 204: { description: 'Deleted' }, ...authErrors, 404: errorResponses[404] },
});
