import { and, eq, isNull } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, Principal } from '../context.ts';
import { apiKeys, users } from '../../db/schema/index.ts';
import { ROLE_GRANTS, grants } from '../../auth/permissions.ts';
import { hashApiKey, verifyJwt, API_KEY_PREFIX } from '../../auth/tokens.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';

const LAST_USED_WRITE_INTERVAL_MS = 60_000;

/** Resolves the caller from `Authorization: Bearer <jwt>`, `X-API-Key: ak_...` or (GET) `?token=<jwt>`; 401 otherwise. */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const { db, jwtSecret, now } = c.var.deps;
  const apiKey = c.req.header('x-api-key');
  // `?token=<jwt>` as the seed allows, for <audio> tags and links (greeting-audio); GET only.
  const queryToken = c.req.method === 'GET' ? c.req.query('token') : undefined;
  const authz = c.req.header('authorization') ?? (queryToken ? `Bearer ${queryToken}` : undefined);
  let principal: Principal | null = null;

  if (apiKey) {
    if (!apiKey.startsWith(API_KEY_PREFIX)) throw new UnauthorizedError('Invalid API key');
    const row = db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, hashApiKey(apiKey)), isNull(apiKeys.revokedAt)))
      .get();
    if (!row) throw new UnauthorizedError('Invalid or revoked API key');
    const at = now();
    if (!row.lastUsedAt || at.getTime() - Date.parse(row.lastUsedAt) > LAST_USED_WRITE_INTERVAL_MS) {
      db.update(apiKeys).set({ lastUsedAt: at.toISOString() }).where(eq(apiKeys.id, row.id)).run();
    }
    principal = { kind: 'api_key', orgId: row.orgId, id: row.id, role: null, permissions: row.permissions };
  } else if (authz) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    if (!m?.[1]) throw new UnauthorizedError('Authorization header must be "Bearer <token>"');
    const claims = await verifyJwt(jwtSecret, m[1]);
    if (!claims) throw new UnauthorizedError('Invalid or expired token');
    const user = db.select({ id: users.id, orgId: users.orgId, role: users.role }).from(users).where(eq(users.id, claims.sub)).get();
    if (!user || user.orgId !== claims.org) throw new UnauthorizedError('User no longer exists');
    principal = { kind: 'user', orgId: user.orgId, id: user.id, role: user.role, permissions: ROLE_GRANTS[user.role] };
  }
  if (!principal) throw new UnauthorizedError('Authentication required: send Authorization: Bearer <jwt> or X-API-Key');
  c.set('principal', principal);
  c.set('logger', c.var.logger.child({ org: principal.orgId, principal: principal.id }));
  await next();
});

/** 403 naming the missing permission, e.g. requirePermission('ivr.write'). */
export function requirePermission(permission: string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const p = c.var.principal;
    if (!grants(p.permissions, permission)) {
      throw new ForbiddenError(`Missing permission: ${permission}`, permission);
    }
    await next();
  });
}
