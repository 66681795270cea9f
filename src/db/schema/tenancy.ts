import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
import { id, createdAt, updatedAt } from './common.ts';

export const organizations = sqliteTable('organizations', {
  id: id(),
  name: text('name').notNull(),
  /** SIP domain of the organization's users (user/<ext>@<domain>); two orgs may both have 1001. */
  sipDomain: text('sip_domain').notNull().unique(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const users = sqliteTable(
  'users',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    /** scrypt$N$r$p$salt$hash */
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['admin', 'member'] }).notNull().default('member'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email), index('users_org_idx').on(t.orgId)],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** First characters of the key (ak_xxxxxxxx), shown in listings. */
    prefix: text('prefix').notNull(),
    /** SHA-256 of the whole key, hex. Keys are random 32 bytes, so a fast hash is enough. */
    keyHash: text('key_hash').notNull(),
    /** JSON array of permissions: "ivr.read", "ivr.*", "*", ... */
    permissions: text('permissions', { mode: 'json' }).$type<string[]>().notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    lastUsedAt: text('last_used_at'),
    revokedAt: text('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash_uq').on(t.keyHash), index('api_keys_org_idx').on(t.orgId)],
);

/** Instance-wide settings shared by every controller process (e.g. the generated JWT secret). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * A counter per organization and resource, bumped by database triggers on every write to the
 * resource's tables (see db/migrations/0004_revisions.sql). Readers that cache a rendered response
 * compare one integer instead of re-reading the rows, and every controller or API instance sharing
 * the database sees every other instance's writes. No foreign key: the triggers fire while an
 * organization's rows are cascading away.
 */
export const orgRevisions = sqliteTable(
  'org_revisions',
  {
    orgId: text('org_id').notNull(),
    resource: text('resource').notNull(),
    rev: integer('rev').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.resource] })],
);
