/** API keys of an organization: listed by prefix, created (the key is shown once) and revoked. */
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { firstUncoveredGrant } from '../auth/permissions.ts';
import { newApiKey } from '../auth/tokens.ts';
import { ForbiddenError, NotFoundError } from '../../domain/errors.ts';

export type ApiKeyRow = Db['t']['apiKeys']['$inferSelect'];

/** Who asks: a user or an API key of the organization, with the grants it holds. */
export interface Delegator {
  orgId: string;
  id: string;
  permissions: readonly string[];
}

/**
 * A credential may hand on, or take away, only grants it holds itself: every grant in `wanted` must
 * be covered by one of the caller's (an admin user holds "*"). Otherwise a narrow `apikey.write` key
 * could mint or revoke keys wider than itself.
 */
function assertMayDelegate(p: Delegator, wanted: readonly string[], verb: 'grant' | 'revoke a key with'): void {
  const missing = firstUncoveredGrant(p.permissions, wanted);
  if (missing !== undefined) throw new ForbiddenError(`Cannot ${verb} a permission you do not hold: ${missing}`, missing);
}

export async function listApiKeys(db: Db, orgId: string): Promise<ApiKeyRow[]> {
  const { apiKeys } = db.t;
  return db.select().from(apiKeys).where(eq(apiKeys.orgId, orgId)).orderBy(desc(apiKeys.createdAt));
}

/** Creates a key with grants the caller holds; `key` is the secret, returned only now. */
export async function createApiKey(db: Db, p: Delegator, body: { name: string; permissions: string[] }): Promise<{ row: ApiKeyRow; key: string }> {
  assertMayDelegate(p, body.permissions, 'grant');
  const { key, prefix, hash } = newApiKey();
  const [row] = await db
    .insert(db.t.apiKeys)
    .values({ orgId: p.orgId, name: body.name, prefix, keyHash: hash, permissions: body.permissions, createdBy: p.id })
    .returning();
  return { row: row!, key };
}

/** Revokes one of the org's keys whose grants the caller also holds. */
export async function revokeApiKey(db: Db, p: Delegator, id: string, now: () => Date): Promise<void> {
  const { apiKeys } = db.t;
  const target = and(eq(apiKeys.id, id), eq(apiKeys.orgId, p.orgId));
  const [row] = await db.select({ permissions: apiKeys.permissions }).from(apiKeys).where(target).limit(1);
  if (!row) throw new NotFoundError('API key not found');
  assertMayDelegate(p, row.permissions, 'revoke a key with');
  await db.update(apiKeys).set({ revokedAt: now().toISOString() }).where(target);
}
