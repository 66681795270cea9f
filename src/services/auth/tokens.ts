import { createHash, randomBytes } from 'node:crypto';
import { sign, verify } from 'hono/jwt';
import type { Role } from './permissions.ts';

export interface SessionClaims {
  sub: string;
  org: string;
  role: Role;
  exp: number;
  iat: number;
}

export async function issueJwt(
  secret: string,
  claims: { userId: string; orgId: string; role: Role },
  ttlSeconds: number,
  now = new Date(),
): Promise<{ token: string; expiresAt: string }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlSeconds;
  const payload: SessionClaims = { sub: claims.userId, org: claims.orgId, role: claims.role, iat, exp };
  const token = await sign({ ...payload }, secret, 'HS256');
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/**
 * Returns the claims, or null for any invalid/expired token. A token must say when it expires:
 * `verify` only checks `exp` when present, and a token without one would otherwise be good forever.
 */
export async function verifyJwt(secret: string, token: string): Promise<SessionClaims | null> {
  try {
    const p = (await verify(token, secret, 'HS256')) as Record<string, unknown>;
    if (typeof p.sub !== 'string' || typeof p.org !== 'string' || (p.role !== 'admin' && p.role !== 'member')) return null;
    if (typeof p.exp !== 'number' || !Number.isFinite(p.exp) || typeof p.iat !== 'number') return null;
    return p as unknown as SessionClaims;
  } catch {
    return null;
  }
}

export const API_KEY_PREFIX = 'ak_';

/** A new API key: shown once; only its hash and prefix are stored. */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, 11), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
