/**
 * The lookups behind every authenticated request: a user's role and organization by id, and an
 * unrevoked API key by its hash. Made once per database (the HTTP middleware caches around them).
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import type { Role } from './permissions.ts';

export type CredentialUser = { id: string; orgId: string; role: Role };
export type CredentialKey = Db['t']['apiKeys']['$inferSelect'];

export interface Credentials {
  /** The user behind a token; undefined when gone, or an agent disabled or expired at `at`. */
  user(id: string, at: Date): Promise<CredentialUser | undefined>;
  /** An API key that is not revoked, by the hash of the key. */
  activeKey(hash: string): Promise<CredentialKey | undefined>;
  /** Records that the key was used at `at`. */
  keyUsed(id: string, at: Date): Promise<void>;
}

// An agent switched off or past its expiry loses its open sessions too (the same rule as access.ts, in
// SQL: expires_at is an ISO instant in UTC, so text order is time order).
const USER_SQL = (p1: string, p2: string, off: string) =>
  `select u.id, u.org_id as "orgId", u.role from users u where u.id = ${p1} and not exists
     (select 1 from agents a where a.user_id = u.id and (a.enabled = ${off} or (a.expires_at is not null and a.expires_at <= ${p2})))`;

/**
 * The user lookup runs on JWT requests: one raw statement, no query building or row mapping, prepared once
 * on SQLite (run in the connection's turn) and sent as a named prepared statement on PostgreSQL.
 */
function userLookup(db: Db): Credentials['user'] {
  const { driver } = db;
  if (driver.dialect === 'sqlite') {
    let stmt: { get(...p: unknown[]): unknown } | undefined;
    return (id, at) =>
      driver.gate.withRaw((raw) => (stmt ??= raw.prepare(USER_SQL('?', '?', '0'))).get(id, at.toISOString()) as CredentialUser | undefined);
  }
  const text = USER_SQL('$1', '$2', 'false');
  return async (id, at) => (await driver.pool.query<CredentialUser>({ name: 'credentials_user', text, values: [id, at.toISOString()] })).rows[0];
}

export function createCredentials(db: Db): Credentials {
  const { apiKeys } = db.t;
  return {
    user: userLookup(db),
    activeKey: async (hash) => (await db.select().from(apiKeys).where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt))).limit(1))[0],
    keyUsed: async (id, at) => {
      await db.update(apiKeys).set({ lastUsedAt: at.toISOString() }).where(eq(apiKeys.id, id));
    },
  };
}
