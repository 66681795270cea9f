import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import type { AppEnv, Principal } from '../../context.ts';
import { apiKeys } from '../../../db/schema/index.ts';
import { firstUncoveredGrant, isValidGrant } from '../../../services/auth/permissions.ts';
import { newApiKey } from '../../../services/auth/tokens.ts';
import { ForbiddenError, NotFoundError } from '../../../services/errors.ts';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';

const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ example: 'ak_Xq3v9ZpA' }),
    permissions: z.array(z.string()),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

/** More grants than there are resource/action pairs is never needed. */
const MAX_GRANTS = 50;

const CreateBody = z
  .object({
    name: z.string().min(1).max(100),
    permissions: z
      .array(z.string().refine(isValidGrant, 'must look like "ivr.read", "ivr.*", "*.read" or "*"'))
      .min(1)
      .max(MAX_GRANTS)
      .openapi({ example: ['ivr.*', 'did.read'], description: 'Each must be covered by a grant the caller holds' }),
  })
  .openapi('CreateApiKey');

const Created = ApiKeySchema.extend({ key: z.string().openapi({ description: 'Shown once; store it now.' }) }).openapi('CreatedApiKey');

const tags = ['API keys'];

const list = createRoute({
  method: 'get', path: '/api-keys', tags, security, summary: 'List API keys (prefix only)',
  middleware: [requirePermission('apikey.read')] as const,
  responses: { 200: jsonContent(z.array(ApiKeySchema), 'API keys of your organization'), 401: errorResponses[401], 403: errorResponses[403] },
});

const create = createRoute({
  method: 'post', path: '/api-keys', tags, security, summary: 'Create an API key; the key is returned once',
  middleware: [requirePermission('apikey.write')] as const,
  request: jsonBody(CreateBody),
  responses: { 201: jsonContent(Created, 'Created'), ...errorResponses },
});

const revoke = createRoute({
  method: 'delete', path: '/api-keys/{id}', tags, security, summary: 'Revoke an API key (only one whose grants the caller also holds)',
  middleware: [requirePermission('apikey.write')] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(z.object({ success: z.literal(true), message: z.string() }), 'Revoked'), ...errorResponses },
});

type Row = typeof apiKeys.$inferSelect;

/**
 * A credential may hand on, or take away, only grants it holds itself: every grant in `wanted` must
 * be covered by one of the caller's (an admin user holds "*"). Otherwise a narrow `apikey.write` key
 * could mint or revoke keys wider than itself.
 */
function assertMayDelegate(p: Principal, wanted: readonly string[], verb: 'grant' | 'revoke a key with'): void {
  const missing = firstUncoveredGrant(p.permissions, wanted);
  if (missing !== undefined) throw new ForbiddenError(`Cannot ${verb} a permission you do not hold: ${missing}`, missing);
}

const toDto = (r: Row) => ({
  id: r.id, name: r.name, prefix: r.prefix, permissions: r.permissions,
  createdAt: r.createdAt, lastUsedAt: r.lastUsedAt, revokedAt: r.revokedAt,
});

export function apiKeyRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(list, (c) => {
      const rows = c.get('deps').db.select().from(apiKeys).where(eq(apiKeys.orgId, c.get('principal').orgId)).orderBy(desc(apiKeys.createdAt)).all();
      return c.json(rows.map(toDto), 200);
    })
    .openapi(create, (c) => {
      const body = c.req.valid('json');
      const p = c.get('principal');
      assertMayDelegate(p, body.permissions, 'grant');
      const { key, prefix, hash } = newApiKey();
      const row = c.get('deps').db
        .insert(apiKeys)
        .values({ orgId: p.orgId, name: body.name, prefix, keyHash: hash, permissions: body.permissions, createdBy: p.id })
        .returning()
        .get();
      return c.json({ ...toDto(row), key }, 201);
    })
    .openapi(revoke, (c) => {
      const { id } = c.req.valid('param');
      const { db, now } = c.get('deps');
      const p = c.get('principal');
      const target = and(eq(apiKeys.id, id), eq(apiKeys.orgId, p.orgId));
      const row = db.select({ permissions: apiKeys.permissions }).from(apiKeys).where(target).get();
      if (!row) throw new NotFoundError('API key not found');
      assertMayDelegate(p, row.permissions, 'revoke a key with');
      db.update(apiKeys).set({ revokedAt: now().toISOString() }).where(target).run();
      return c.json({ success: true as const, message: 'API key revoked' }, 200);
    });
}
