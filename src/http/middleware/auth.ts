import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { requestHeader } from '../request-headers.ts';
import type { AppDeps, AppEnv, Principal } from '../context.ts';
import { createCredentials, type CredentialUser, type Credentials } from '../../services/auth/credentials.ts';
import { ROLE_GRANTS, grants } from '../../services/auth/permissions.ts';
import { hashApiKey, verifyJwt, API_KEY_PREFIX, type SessionClaims } from '../../services/auth/tokens.ts';
import { ForbiddenError, UnauthorizedError } from '../../domain/errors.ts';

const LAST_USED_WRITE_INTERVAL_MS = 60_000;

const JWT_CACHE_MAX = 10_000;
const USER_CACHE_MAX = 10_000;

/** What a request presented: an API key (`ak_…`) or a JWT. */
export type Credential = { kind: 'api_key'; key: string } | { kind: 'jwt'; token: string };

/** Turns a presented credential into the caller, or throws UnauthorizedError. */
export type PrincipalResolver = (deps: AppDeps, credential: Credential) => Promise<Principal>;

/**
 * The one place a credential becomes a principal. One instance per app, since this runs on every
 * request: verified tokens are cached (bounded, until they expire), a user's row is reused for
 * AUTH_USER_CACHE_MS (so a deleted user or a changed role takes effect within that time on every
 * instance), and the lookups are prepared once.
 */
export function createPrincipalResolver(): PrincipalResolver {
  const verified = new Map<string, SessionClaims>();
  const usersSeen = new Map<string, { row: CredentialUser | undefined; until: number }>();
  let q: Credentials | undefined;

  const remember = <V>(map: Map<string, V>, max: number, key: string, value: V): void => {
    if (map.size >= max) map.delete(map.keys().next().value as string);
    map.set(key, value);
  };

  const userFor = async (deps: AppDeps, id: string, nowMs: number): Promise<CredentialUser | undefined> => {
    const ttl = deps.config.AUTH_USER_CACHE_MS;
    const hit = ttl > 0 ? usersSeen.get(id) : undefined;
    if (hit && hit.until > nowMs) return hit.row;
    const row = await q!.user(id, new Date(nowMs));
    if (ttl > 0) remember(usersSeen, USER_CACHE_MAX, id, { row, until: nowMs + ttl });
    return row;
  };

  const principalForJwt = async (deps: AppDeps, claims: SessionClaims, nowMs: number): Promise<Principal> => {
    const user = await userFor(deps, claims.sub, nowMs);
    if (!user || user.orgId !== claims.org) throw new UnauthorizedError('User no longer exists');
    return { kind: 'user', orgId: user.orgId, id: user.id, role: user.role, permissions: ROLE_GRANTS[user.role] };
  };

  const principalForKey = async (apiKey: string, at: Date): Promise<Principal> => {
    if (!apiKey.startsWith(API_KEY_PREFIX)) throw new UnauthorizedError('Invalid API key');
    const row = await q!.activeKey(hashApiKey(apiKey));
    if (!row) throw new UnauthorizedError('Invalid or revoked API key');
    if (!row.lastUsedAt || at.getTime() - Date.parse(row.lastUsedAt) > LAST_USED_WRITE_INTERVAL_MS) {
      await q!.keyUsed(row.id, at);
    }
    return { kind: 'api_key', orgId: row.orgId, id: row.id, role: null, permissions: row.permissions };
  };

  const verify = async (deps: AppDeps, token: string, at: Date): Promise<Principal> => {
    const claims = await verifyJwt(deps.jwtSecret, token);
    if (!claims) throw new UnauthorizedError('Invalid or expired token');
    remember(verified, JWT_CACHE_MAX, token, claims);
    return principalForJwt(deps, claims, at.getTime());
  };

  return (deps, credential) => {
    q ??= createCredentials(deps.adb);
    const at = deps.now();
    if (credential.kind === 'api_key') return principalForKey(credential.key, at);
    const claims = verified.get(credential.token);
    if (!claims || claims.exp <= Math.floor(at.getTime() / 1000)) return verify(deps, credential.token, at);
    return principalForJwt(deps, claims, at.getTime());
  };
}

export interface AuthenticateOptions {
  /**
   * A query parameter that carries the credential on every method, an API key (`ak_…`) or a JWT: Yeastar's
   * `access_token`. It wins over the headers.
   */
  credentialParam?: string;
}

/**
 * Resolves the caller from `Authorization: Bearer <jwt>`, `X-API-Key: ak_...`, (GET) `?token=<jwt>` or the
 * `credentialParam`; 401 otherwise. Paths under `skipPrefix` (login) pass through. One per app (and per
 * vendor adapter).
 */
export function createAuthenticate(skipPrefix?: string, opts: AuthenticateOptions = {}) {
  const resolve = createPrincipalResolver();
  return createMiddleware<AppEnv>(async (c, next) => {
    if (skipPrefix !== undefined && c.req.path.startsWith(skipPrefix)) return next();
    const param = opts.credentialParam === undefined ? undefined : c.req.query(opts.credentialParam);
    if (param === '') throw new UnauthorizedError(`${opts.credentialParam} is empty`);
    const apiKey = param === undefined ? requestHeader(c, 'x-api-key') : param.startsWith(API_KEY_PREFIX) ? param : undefined;
    const credential: Credential = apiKey ? { kind: 'api_key', key: apiKey } : { kind: 'jwt', token: param ?? bearerToken(c) };
    c.set('principal', await resolve(c.get('deps'), credential));
    return next();
  });
}

/** The JWT from `Authorization: Bearer`, or on GET `?token=` as the seed allows (for <audio> tags and links). */
function bearerToken(c: Context<AppEnv>): string {
  const authz = requestHeader(c, 'authorization');
  if (authz === undefined) {
    const queryToken = c.req.method === 'GET' ? c.req.query('token') : undefined;
    if (queryToken) return queryToken;
    throw new UnauthorizedError('Authentication required: send Authorization: Bearer <jwt> or X-API-Key');
  }
  const m = /^Bearer\s+(\S+)$/i.exec(authz);
  if (!m?.[1]) throw new UnauthorizedError('Authorization header must be "Bearer <token>"');
  return m[1];
}

/** 403 naming the missing permission, e.g. requirePermission('ivr.write'). */
export function requirePermission(permission: string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const p = c.get('principal');
    if (!grants(p.permissions, permission)) {
      throw new ForbiddenError(`Missing permission: ${permission}`, permission);
    }
    await next();
  });
}
