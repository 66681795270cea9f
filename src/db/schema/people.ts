import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { id, createdAt, updatedAt } from './common.ts';
import { organizations, users } from './tenancy.ts';
import { dids, extensions } from './routing.ts';

/**
 * Human agents: a login (users row, role member) and an extension, linked. `enabled` is the admin's
 * switch and the expiry sweep's result; the agent's extension follows it (extensions.enabled), and the
 * directory and login also compare `expires_at` with now themselves, so an expired agent is refused
 * before the sweep runs. Deleting the user deletes the agent; the extension stays (disabled).
 */
export const agents = sqliteTable(
  'agents',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    extensionId: text('extension_id')
      .notNull()
      .references(() => extensions.id, { onDelete: 'cascade' }),
    /** The agent's own phone, E.164. */
    phone: text('phone'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    /** ISO-8601 instant; null = never. */
    expiresAt: text('expires_at'),
    /** Why the agent is disabled: `admin` (PATCH) or `expired` (the sweep); null while enabled. */
    disabledReason: text('disabled_reason', { enum: ['admin', 'expired'] }),
    /** The DID click-to-call shows when the agent's extension calls without naming one. */
    callerIdDidId: text('caller_id_did_id').references(() => dids.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('agents_user_uq').on(t.userId),
    uniqueIndex('agents_extension_uq').on(t.extensionId),
    index('agents_org_idx').on(t.orgId),
    index('agents_expiry_idx').on(t.enabled, t.expiresAt),
  ],
);
