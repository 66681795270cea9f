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
  user(id: string): CredentialUser | undefined;
  /** An API key that is not revoked, by the hash of the key. */
  activeKey(hash: string): CredentialKey | undefined;
  /** Records that the key was used at `at`. */
  keyUsed(id: string, at: Date): void;
}

export function createCredentials(db: Db): Credentials {
  // Raw statement: runs on JWT requests, so no query building or row mapping.
  const user = sqliteOf(db).prepare('select id, org_id as orgId, role from users where id = ?');
  const key = db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, sql.placeholder('hash')), isNull(apiKeys.revokedAt)))
    .prepare();
  return {
    user: (id) => user.get(id) as CredentialUser | undefined,
    activeKey: (hash) => key.get({ hash }),
    keyUsed: (id, at) => {
      db.update(apiKeys).set({ lastUsedAt: at.toISOString() }).where(eq(apiKeys.id, id)).run();
    },
  };
}
