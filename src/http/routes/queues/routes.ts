import { createRoute, z } from '@hono/zod-openapi';
import { FINAL_DESTINATION_TYPES } from '../../../domain/destinations.ts';
import { QUEUE_STRATEGIES } from '../../../services/queues/queue-service.ts';

/** A queue's exit may be any final destination (another queue too). */
const QUEUE_EXIT_TYPES = FINAL_DESTINATION_TYPES;
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, conflictResponse, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';


const QueueAgentSchema = z
  .object({
    extension: z.string().openapi({ example: '1001' }),
    extension_id: z.string(),
    name: z.string(),
    level: z.number().int(),
    position: z.number().int(),
  })
  .openapi('QueueAgent');

export const QueueSchema = z
  .object({
    id: z.string(),
    number: z.string().openapi({ example: '5001' }),
    name: z.string().openapi({ example: 'Sales' }),
    strategy: z.enum(QUEUE_STRATEGIES),
    moh_sound: z.string(),
    max_wait_time: z.number().int(),
    tier_rules_apply: z.boolean(),
    discard_abandoned_after: z.number().int(),
    agents: z.array(QueueAgentSchema),
    timeout_destination: z.object({ type: z.string(), value: z.string().nullable() }).nullable()
      .openapi({ description: 'Where a caller goes when max_wait_time passes with no agent; null: goodbye (outcome queue_timeout)' }),
    fs_name: z.string().openapi({ description: 'mod_callcenter queue name: <number>@<org SIP domain>', example: '5001@acme.sip.local' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Queue');

const AgentInput = z.object({
  extension: z.string().regex(/^\d{4}$/, 'must be a 4-digit extension number').openapi({ example: '1001' }),
  level: z.number().int().min(1).max(100).optional().openapi({ description: 'Tier level; default 1' }),
  position: z.number().int().min(1).max(1000).optional().openapi({ description: 'Tier position; default: place in the list (1, 2, ...)' }),
});

const fields = {
  number: z.string().regex(/^\d{4}$/, 'must be a 4-digit number, e.g. "5001"').openapi({ example: '5001' }),
  name: z.string().trim().min(1).max(100),
  strategy: z.enum(QUEUE_STRATEGIES),
  moh_sound: z.string().trim().min(1).max(500),
  max_wait_time: z.number().int().min(0).max(86_400).openapi({ description: 'Seconds; 0 = no limit' }),
  tier_rules_apply: z.boolean(),
  discard_abandoned_after: z.number().int().min(0).max(86_400),
  timeout_destination: z
    .object({
      type: z.enum(QUEUE_EXIT_TYPES),
      value: z.string().max(2000).nullable().optional().openapi({ description: 'Extension/queue number, IVR or AI agent UUID, E.164; null for hangup/callback' }),
    })
    .nullable()
    .openapi({ description: 'Exit destination when max_wait_time passes with no agent (checked when published)' }),
  agents: z
    .array(AgentInput)
    .max(500)
    .refine((a) => new Set(a.map((x) => x.extension)).size === a.length, 'an extension may appear only once'),
};

export const CreateQueueBody = z
  .object({
    number: fields.number,
    name: fields.name,
    strategy: fields.strategy.default('longest-idle-agent'),
    moh_sound: fields.moh_sound.default('local_stream://moh'),
    max_wait_time: fields.max_wait_time.default(300),
    tier_rules_apply: fields.tier_rules_apply.default(false),
    discard_abandoned_after: fields.discard_abandoned_after.default(60),
    timeout_destination: fields.timeout_destination.default(null),
    agents: fields.agents.default([]),
  })
  .openapi('CreateQueue');

export const UpdateQueueBody = z.object(fields).partial().openapi('UpdateQueue');

const tags = ['Queues'];
const authErrors = { 401: errorResponses[401], 403: errorResponses[403] };

export const listQueues = createRoute({
  method: 'get', path: '/queues', tags, security, summary: 'List call queues with their agents',
  middleware: [requirePermission('queue.read')] as const,
  responses: { 200: jsonContent(z.array(QueueSchema), 'Queues of your organization, by number'), ...authErrors },
});

export const getQueue = createRoute({
  method: 'get', path: '/queues/{id}', tags, security, summary: 'Get one queue',
  middleware: [requirePermission('queue.read')] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(QueueSchema, 'The queue'), ...authErrors, 404: errorResponses[404] },
});

export const createQueue = createRoute({
  method: 'post', path: '/queues', tags, security, summary: 'Create a queue',
  middleware: [requirePermission('queue.write')] as const,
  request: jsonBody(CreateQueueBody),
  responses: { 201: jsonContent(QueueSchema, 'Created'), ...errorResponses, ...conflictResponse },
});

export const updateQueue = createRoute({
  method: 'put', path: '/queues/{id}', tags, security,
  summary: 'Update a queue (partial); `agents`, when sent, replaces the whole agent list',
  middleware: [requirePermission('queue.write')] as const,
  request: { params: IdParam, ...jsonBody(UpdateQueueBody) },
  responses: { 200: jsonContent(QueueSchema, 'Updated'), ...errorResponses, ...conflictResponse },
});

export const deleteQueue = createRoute({
  method: 'delete', path: '/queues/{id}', tags, security, summary: 'Delete a queue',
  middleware: [requirePermission('queue.write')] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...authErrors, 404: errorResponses[404] },
});
