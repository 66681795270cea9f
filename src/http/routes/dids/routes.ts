import { createRoute, z } from '@hono/zod-openapi';
import { DID_ROUTING_TYPES } from '../../../domain/destinations.ts';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, conflictResponse, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';

export const DidSchema = z
  .object({
    id: z.string().openapi({ example: 'b71f116a-2b3c-11f1-9598-00505661ece1' }),
    number: z.string().openapi({ example: '+918065978001' }),
    org_id: z.string().nullable(),
    routing_type: z.string().nullable().openapi({ enum: [...DID_ROUTING_TYPES], example: 'ivr' }),
    routing_destination: z.string().nullable().openapi({ example: '2d7a59e9-4304-4032-a0c1-f8df2429751c' }),
    description: z.string().nullable().openapi({ example: 'Main line' }),
    status: z.string().openapi({ example: 'active' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Did');

export const RoutedDidSchema = DidSchema.extend({
  published: z.literal(true),
  warnings: z.array(z.string()),
}).openapi('RoutedDid');

export const DidHistorySchema = z
  .object({
    id: z.string(),
    did_id: z.string(),
    action: z.enum(['assigned', 'released', 'routed']),
    org_id: z.string().nullable().openapi({ description: 'Your organization, or null for rows from a previous holder' }),
    actor: z.object({ type: z.enum(['user', 'api_key']), id: z.string() }).nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.string(),
  })
  .openapi('DidHistoryEntry');

export const RouteDidBody = z
  .object({
    routing_type: z.enum(DID_ROUTING_TYPES),
    routing_destination: z.string().max(2000).nullable().openapi({
      description: 'extension/queue/intercom: 4-digit number; ivr: the IVR UUID (not its extension); ai_agent: ws(s):// URL or AI agent UUID; external: E.164',
      example: '2d7a59e9-4304-4032-a0c1-f8df2429751c',
    }),
    description: z.string().max(200).nullable().optional(),
  })
  .openapi('RouteDid');

export const AddDidBody = z
  .object({
    number: z.string().min(1).max(32).openapi({ example: '+918065978001', description: 'Normalized to E.164' }),
    description: z.string().max(200).nullable().optional(),
    assign: z.boolean().default(false).openapi({ description: "true: add straight to your organization; false: add to the pool" }),
  })
  .openapi('AddDid');

const tags = ['Phone numbers'];
const authErrors = { 401: errorResponses[401], 403: errorResponses[403] };

export const listDids = createRoute({
  method: 'get', path: '/dids', tags, security, summary: "List your organization's phone numbers",
  middleware: [requirePermission('did.read')] as const,
  responses: { 200: jsonContent(z.array(DidSchema), 'A bare array of DIDs'), ...authErrors },
});

export const getDid = createRoute({
  method: 'get', path: '/dids/{id}', tags, security, summary: 'Get one phone number',
  middleware: [requirePermission('did.read')] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(DidSchema, 'The DID'), ...authErrors, 404: errorResponses[404] },
});

export const routeDid = createRoute({
  method: 'put', path: '/dids/{id}', tags, security,
  summary: 'Set the routing of a phone number; live at once',
  middleware: [requirePermission('did.write')] as const,
  request: { params: IdParam, ...jsonBody(RouteDidBody) },
  responses: { 200: jsonContent(RoutedDidSchema, 'Updated and published'), ...errorResponses },
});

export const didHistory = createRoute({
  method: 'get', path: '/dids/{id}/history', tags, security, summary: 'Assignments, releases and routing changes of a number',
  middleware: [requirePermission('did.read')] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(z.array(DidHistorySchema), 'Newest first'), ...authErrors, 404: errorResponses[404] },
});

export const addDid = createRoute({
  method: 'post', path: '/dids', tags, security, summary: 'Add a number to the pool or to your organization (admin)',
  middleware: [requirePermission('did.pool')] as const,
  request: jsonBody(AddDidBody),
  responses: { 201: jsonContent(DidSchema, 'Added'), ...errorResponses, ...conflictResponse },
});

export const removeDid = createRoute({
  method: 'delete', path: '/dids/{id}', tags, security,
  summary: 'Remove a number from your organization: it returns to the pool (admin)',
  middleware: [requirePermission('did.pool')] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Released to the pool' }, ...authErrors, 404: errorResponses[404] },
});

const RoutingSchema = z.object({ type: z.string(), destination: z.string().nullable() });

export const DidStatusSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    routed: RoutingSchema.nullable().openapi({ description: "The number's routing as set (PUT /dids/{id}); null = unrouted" }),
    published: z.object({
      live: z.boolean().openapi({ description: 'The live mapping (live_dids) routes this number to your organization' }),
      routing: RoutingSchema.nullable().openapi({ description: 'The routing calls get now' }),
      version: z.number().int().nullable().openapi({ description: 'The published snapshot version serving it (the one calls pin)' }),
      in_sync: z.boolean().openapi({ description: 'Calls get the routing as set' }),
    }),
    last_call: z.object({ at: z.string(), call_id: z.string(), caller: z.string().nullable(), outcome: z.string().nullable() }).nullable(),
  })
  .openapi('DidStatus');

export const didStatusRoute = createRoute({
  method: 'get', path: '/dids/{id}/status', tags, security, summary: 'Live status of a phone number: routing, published mapping, last call',
  middleware: [requirePermission('did.read')] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(DidStatusSchema, 'The status'), ...authErrors, 404: errorResponses[404] },
});
