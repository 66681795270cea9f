import { and, eq, isNull, sql } from 'drizzle-orm';
import { sqliteOf, type Db } from '../../db/client.ts';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, Principal } from '../context.ts';
import { apiKeys, users } from '../../db/schema/index.ts';
import { ROLE_GRANTS, grants, type Role } from '../../auth/permissions.ts';
import { hashApiKey, verifyJwt, API_KEY_PREFIX, type SessionClaims } from '../../auth/tokens.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';

const LAST_USED_WRITE_INTERVAL_MS = 60_000;

const JWT_CACHE_MAX = 10_000;

/**
 * Resolves the caller from `Authorization: Bearer <jwt>`, `X-API-Key: ak_...` or (GET) `?token=<jwt>`;
 * 401 otherwise. One instance per app: verified tokens are cached (bounded, until they expire) and the
 * two lookups are prepared once, since this runs on every request.
 */
export function createAuthenticate() {
  const verified = new Map<string, SessionClaims>();
  let q: { user: ReturnType<typeof prepareUser>; key: ReturnType<typeof prepareKey> } | undefined;

  const claimsFor = async (secret: string, token: string, nowS: number): Promise<SessionClaims | null> => {
    const hit = verified.get(token);
    if (hit && hit.exp > nowS) return hit;
    const claims = await verifyJwt(secret, token);
    if (claims) {
      if (verified.size >= JWT_CACHE_MAX) verified.delete(verified.keys().next().value as string);
      verified.set(token, claims);
    }
    return claims;
  };

  return createMiddleware<AppEnv>(async (c, next) => {
    const { db, jwtSecret, now } = c.var.deps;
    q ??= { user: prepareUser(db), key: prepareKey(db) };
    const apiKey = c.req.header('x-api-key');
    // `?token=<jwt>` as the seed allows, for <audio> tags and links (greeting-audio); GET only.
    const queryToken = c.req.method === 'GET' ? c.req.query('token') : undefined;
    const authz = c.req.header('authorization') ?? (queryToken ? `Bearer ${queryToken}` : undefined);
    let principal: Principal | null = null;

    if (apiKey) {
      if (!apiKey.startsWith(API_KEY_PREFIX)) throw new UnauthorizedError('Invalid API key');
      const row = q.key.get({ hash: hashApiKey(apiKey) });
      if (!row) throw new UnauthorizedError('Invalid or revoked API key');
      const at = now();
      if (!row.lastUsedAt || at.getTime() - Date.parse(row.lastUsedAt) > LAST_USED_WRITE_INTERVAL_MS) {
        db.update(apiKeys).set({ lastUsedAt: at.toISOString() }).where(eq(apiKeys.id, row.id)).run();
      }
      principal = { kind: 'api_key', orgId: row.orgId, id: row.id, role: null, permissions: row.permissions };
    } else if (authz) {
      const m = /^Bearer\s+(\S+)$/i.exec(authz);
      if (!m?.[1]) throw new UnauthorizedError('Authorization header must be "Bearer <token>"');
      const claims = await claimsFor(jwtSecret, m[1], Math.floor(now().getTime() / 1000));
      if (!claims) throw new UnauthorizedError('Invalid or expired token');
      // Looked up every time: a deleted user or a changed role takes effect at once.
      const user = q.user.get({ id: claims.sub });
      if (!user || user.orgId !== claims.org) throw new UnauthorizedError('User no longer exists');
      principal = { kind: 'user', orgId: user.orgId, id: user.id, role: user.role, permissions: ROLE_GRANTS[user.role] };
    }
    if (!principal) throw new UnauthorizedError('Authentication required: send Authorization: Bearer <jwt> or X-API-Key');
    c.set('principal', principal);
    await next();
  });
}

function prepareUser(db: Db) {
  // Raw statement: runs on every JWT request, so no query building or row mapping.
  const stmt = sqliteOf(db).prepare('select id, org_id as orgId, role from users where id = ?');
  return { get: (p: { id: string }) => stmt.get(p.id) as { id: string; orgId: string; role: Role } | undefined };
}

function prepareKey(db: Db) {
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, sql.placeholder('hash')), isNull(apiKeys.revokedAt)))
    .prepare();
}

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
