/** API keys of an organization: listed by prefix, created (the key is shown once) and revoked. */
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiKeys } from '../../db/schema/index.ts';
import { firstUncoveredGrant } from '../auth/permissions.ts';
import { newApiKey } from '../auth/tokens.ts';
import { ForbiddenError, NotFoundError } from '../../domain/errors.ts';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

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

export function listApiKeys(db: Db, orgId: string): ApiKeyRow[] {
  return db.select().from(apiKeys).where(eq(apiKeys.orgId, orgId)).orderBy(desc(apiKeys.createdAt)).all();
}

/** Creates a key with grants the caller holds; `key` is the secret, returned only now. */
export function createApiKey(db: Db, p: Delegator, body: { name: string; permissions: string[] }): { row: ApiKeyRow; key: string } {
  assertMayDelegate(p, body.permissions, 'grant');
  const { key, prefix, hash } = newApiKey();
  const row = db
    .insert(apiKeys)
    .values({ orgId: p.orgId, name: body.name, prefix, keyHash: hash, permissions: body.permissions, createdBy: p.id })
    .returning()
    .get();
  return { row, key };
}

/** Revokes one of the org's keys whose grants the caller also holds. */
export function revokeApiKey(db: Db, p: Delegator, id: string, now: () => Date): void {
  const target = and(eq(apiKeys.id, id), eq(apiKeys.orgId, p.orgId));
  const row = db.select({ permissions: apiKeys.permissions }).from(apiKeys).where(target).get();
  if (!row) throw new NotFoundError('API key not found');
  assertMayDelegate(p, row.permissions, 'revoke a key with');
  db.update(apiKeys).set({ revokedAt: now().toISOString() }).where(target).run();
}
