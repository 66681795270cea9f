import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { isValidGrant } from '../../../services/auth/permissions.ts';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from '../../../services/api-keys/api-key-service.ts';
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

const toDto = (r: ApiKeyRow) => ({
  id: r.id, name: r.name, prefix: r.prefix, permissions: r.permissions,
  createdAt: r.createdAt, lastUsedAt: r.lastUsedAt, revokedAt: r.revokedAt,
});

export function apiKeyRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(list, async (c) => c.json((await listApiKeys(c.get('deps').adb, c.get('principal').orgId)).map(toDto), 200))
    .openapi(create, async (c) => {
      const { row, key } = await createApiKey(c.get('deps').adb, c.get('principal'), c.req.valid('json'));
      return c.json({ ...toDto(row), key }, 201);
    })
    .openapi(revoke, async (c) => {
      const { adb, now } = c.get('deps');
      await revokeApiKey(adb, c.get('principal'), c.req.valid('param').id, now);
      return c.json({ success: true as const, message: 'API key revoked' }, 200);
    });
}
