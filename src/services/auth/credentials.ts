/**
 * The lookups behind every authenticated request: a user's role and organization by id, and an
 * unrevoked API key by its hash. Prepared once per database (the HTTP middleware caches around them).
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { sqliteOf, type Db } from '../../db/client.ts';
import { apiKeys } from '../../db/schema/index.ts';
import type { Role } from './permissions.ts';

export type CredentialUser = { id: string; orgId: string; role: Role };
export type CredentialKey = typeof apiKeys.$inferSelect;

export interface Credentials {
  /** The user behind a token; undefined when gone, or an agent disabled or expired at `at`. */
  user(id: string, at: Date): CredentialUser | undefined;
  /** An API key that is not revoked, by the hash of the key. */
  activeKey(hash: string): CredentialKey | undefined;
  /** Records that the key was used at `at`. */
  keyUsed(id: string, at: Date): void;
}

export function createCredentials(db: Db): Credentials {
  // Raw statement: runs on JWT requests, so no query building or row mapping.
  // An agent switched off or past its expiry loses its open sessions too (the same rule as access.ts,
  // in SQL: expires_at is an ISO instant in UTC, so text order is time order).
  const user = sqliteOf(db).prepare(
    `select u.id, u.org_id as orgId, u.role from users u where u.id = ? and not exists
       (select 1 from agents a where a.user_id = u.id and (a.enabled = 0 or (a.expires_at is not null and a.expires_at <= ?)))`,
  );
  const key = db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, sql.placeholder('hash')), isNull(apiKeys.revokedAt)))
    .prepare();
  return {
    user: (id, at) => user.get(id, at.toISOString()) as CredentialUser | undefined,
    activeKey: (hash) => key.get({ hash }),
    keyUsed: (id, at) => {
      db.update(apiKeys).set({ lastUsedAt: at.toISOString() }).where(eq(apiKeys.id, id)).run();
    },
  };
}
