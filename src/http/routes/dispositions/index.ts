import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { AppEnv } from '../../context.ts';
import { dispositions } from '../../../db/schema/index.ts';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, conflictResponse, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';
import { assertNameFree, findDisposition, listDispositions } from '../../../services/dispositions/disposition-service.ts';

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

type Row = typeof dispositions.$inferSelect;
const toDto = (r: Row) => ({ id: r.id, name: r.name, createdAt: r.createdAt });

export function dispositionRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(list, (c) => c.json(listDispositions(c.get('deps').db, c.get('principal').orgId).map(toDto), 200))
    .openapi(create, (c) => {
      const { db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const { name } = c.req.valid('json');
      assertNameFree(db, orgId, name);
      const row = db.insert(dispositions).values({ orgId, name }).returning().get();
      return c.json(toDto(row), 201);
    })
    .openapi(update, (c) => {
      const { db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const { id } = c.req.valid('param');
      const { name } = c.req.valid('json');
      findDisposition(db, orgId, id);
      assertNameFree(db, orgId, name, id);
      const row = db.update(dispositions).set({ name }).where(and(eq(dispositions.id, id), eq(dispositions.orgId, orgId))).returning().get();
      return c.json(toDto(row!), 200);
    })
    .openapi(remove, (c) => {
      const { db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const { id } = c.req.valid('param');
      findDisposition(db, orgId, id);
      db.delete(dispositions).where(and(eq(dispositions.id, id), eq(dispositions.orgId, orgId))).run();
      return c.body(null, 204);
    });
}
