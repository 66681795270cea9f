import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { id, createdAt } from './common.ts';
import { organizations } from './tenancy.ts';

/**
 * Immutable, versioned compilations of an organization's draft configuration.
 * The call controller reads only these; drafts never reach live calls.
 */
export const configSnapshots = sqliteTable(
  'config_snapshots',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    /** The compiled snapshot (see src/publish/snapshot.ts for its type). */
    snapshot: text('snapshot', { mode: 'json' }).$type<unknown>().notNull(),
    /** SHA-256 of the compiled content without version: publishing unchanged config is a no-op. */
    contentHash: text('content_hash').notNull(),
    publishedBy: text('published_by'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('config_snapshots_org_version_uq').on(t.orgId, t.version)],
);

/**
 * The live DID → organization mapping, written whenever routing is published
 * (publish, or a DID routing update), read by the call controller per call.
 */
export const liveDids = sqliteTable(
  'live_dids',
  {
    number: text('number').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    didId: text('did_id').notNull(),
    routingType: text('routing_type').notNull(),
    routingDestination: text('routing_destination'),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('live_dids_org_idx').on(t.orgId)],
);
