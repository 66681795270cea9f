import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, conflictResponse, errorResponses, jsonContent, security } from '../../schemas.ts';
import { DidSchema } from './routes.ts';

const PoolDidSchema = z
  .object({ id: z.string(), number: z.string(), description: z.string().nullable(), status: z.string(), createdAt: z.string() })
  .openapi('PoolDid');

const PoolMoveSchema = z
  .object({ message: z.string().openapi({ example: 'DID +918065978001 released to pool' }), did: DidSchema })
  .openapi('PoolMove');

const tags = ['Phone number pool'];
const authErrors = { 401: errorResponses[401], 403: errorResponses[403] };

export const listPool = createRoute({
  method: 'get', path: '/did-pool', tags, security, summary: 'Numbers in the pool, free to request',
  middleware: [requirePermission('did.read')] as const,
  responses: { 200: jsonContent(z.array(PoolDidSchema), 'Pool numbers, by number'), ...authErrors },
});

export const requestPoolDid = createRoute({
  method: 'post', path: '/did-pool/{id}/request', tags, security, summary: 'Assign a pool number to your organization (admin)',
  middleware: [requirePermission('did.pool')] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(PoolMoveSchema, 'Assigned'), ...authErrors, 404: errorResponses[404], ...conflictResponse },
});

export const releasePoolDid = createRoute({
  method: 'post', path: '/did-pool/{id}/release', tags, security,
  summary: 'Return one of your numbers to the pool; its routing is cleared and it stops taking calls (admin)',
  middleware: [requirePermission('did.pool')] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(PoolMoveSchema, 'Released'), ...authErrors, 404: errorResponses[404] },
});
