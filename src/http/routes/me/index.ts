import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { errorResponses, jsonContent, security } from '../../schemas.ts';
import { RESOURCES, grants } from '../../../services/auth/permissions.ts';

/** Every permission there is: a client asks `allowed` instead of evaluating wildcard grants itself. */
const ALL_PERMISSIONS = [...RESOURCES.flatMap((r) => [`${r}.read`, `${r}.write`]), 'did.pool'];

const MeSchema = z
  .object({
    kind: z.enum(['user', 'api_key']),
    id: z.string().openapi({ description: 'The user id, or the API key id' }),
    org_id: z.string(),
    role: z.enum(['admin', 'member']).nullable().openapi({ description: 'The user\'s role; null for an API key' }),
    permissions: z.array(z.string()).openapi({ example: ['*.read'], description: 'Grants: "*", "ivr.*", "*.read", "ivr.write", …' }),
    allowed: z.array(z.string()).openapi({ example: ['ivr.read', 'did.read'], description: 'Every permission the grants give, spelled out (resource.read / resource.write, did.pool)' }),
  })
  .openapi('Me');

const me = createRoute({
  method: 'get', path: '/me', tags: ['Auth'], security,
  summary: 'Who the credentials are and what they may do (a client hides what it may not)',
  responses: { 200: jsonContent(MeSchema, 'The caller'), 401: errorResponses[401] },
});

/** GET /api/v1/me: the authenticated principal as the auth middleware resolved it. */
export function meRoutes() {
  return new OpenAPIHono<AppEnv>().openapi(me, (c) => {
    const p = c.get('principal');
    const allowed = ALL_PERMISSIONS.filter((perm) => grants(p.permissions, perm));
    return c.json({ kind: p.kind, id: p.id, org_id: p.orgId, role: p.role, permissions: [...p.permissions], allowed }, 200);
  });
}
