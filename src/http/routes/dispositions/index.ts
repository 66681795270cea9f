import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, conflictResponse, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';
import {
  createDisposition, deleteDisposition, listDispositions, renameDisposition, type DispositionRow,
} from '../../../services/dispositions/disposition-service.ts';

const DispositionSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string() }).openapi('Disposition');
const Body = z.object({ name: z.string().trim().min(1).max(100).openapi({ example: 'Interested' }) }).openapi('DispositionBody');

const tags = ['Dispositions'];
const authErrors = { 401: errorResponses[401], 403: errorResponses[403] };

const list = createRoute({
  method: 'get', path: '/dispositions', tags, security, middleware: [requirePermission('call.read')] as const,
  summary: 'The organization\'s call statuses (seeded with Interested, Not Interested, Call Back Later, …)',
  responses: { 200: jsonContent(z.array(DispositionSchema), 'Dispositions'), ...authErrors },
});
const create = createRoute({
  method: 'post', path: '/dispositions', tags, security, middleware: [requirePermission('disposition.write')] as const,
  summary: 'Add a disposition', request: jsonBody(Body),
  responses: { 201: jsonContent(DispositionSchema, 'Created'), ...errorResponses, ...conflictResponse },
});
const update = createRoute({
  method: 'put', path: '/dispositions/{id}', tags, security, middleware: [requirePermission('disposition.write')] as const,
  summary: 'Rename a disposition (notes keep the name they were written with)', request: { params: IdParam, ...jsonBody(Body) },
  responses: { 200: jsonContent(DispositionSchema, 'Updated'), ...errorResponses, ...conflictResponse },
});
const remove = createRoute({
  method: 'delete', path: '/dispositions/{id}', tags, security, middleware: [requirePermission('disposition.write')] as const,
  summary: 'Delete a disposition', request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...authErrors, 404: errorResponses[404] },
});

const toDto = (r: DispositionRow) => ({ id: r.id, name: r.name, createdAt: r.createdAt });

export function dispositionRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(list, async (c) => c.json((await listDispositions(c.get('deps').adb, c.get('principal').orgId)).map(toDto), 200))
    .openapi(create, async (c) => c.json(toDto(await createDisposition(c.get('deps').adb, c.get('principal').orgId, c.req.valid('json').name)), 201))
    .openapi(update, async (c) => {
      const row = await renameDisposition(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json').name);
      return c.json(toDto(row), 200);
    })
    .openapi(remove, async (c) => {
      await deleteDisposition(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
