import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
import { id, createdAt, updatedAt } from './common.ts';
import { organizations } from './tenancy.ts';
import { contacts } from './contacts.ts';

/** What a campaign call plays once answered: a text template (optionally then a flow's menu), or a flow. */
export type StoredCampaignPlay = { kind: 'tts'; templateId: string; ivrId: string | null } | { kind: 'flow'; ivrId: string };

/** Per unanswered outcome: how many attempts in all, and how long between them. */
export type StoredRetryPolicy = Record<'busy' | 'no_answer' | 'failed', { attempts: number; spacingS: number }>;

/**
 * Dialer campaigns. Everything the dialer needs lives here and in campaign_numbers, so any instance can
 * run it and a restart picks it up where it was. status: on | paused | off.
 */
export const campaigns = sqliteTable(
  'campaigns',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    did: text('did').notNull(),
    play: text('play', { mode: 'json' }).$type<StoredCampaignPlay>().notNull(),
    /** At most this many of its calls at once (`no_of_call`). */
    concurrency: integer('concurrency').notNull().default(1),
    /** Calling window, HH:mm local time in `timezone`, on `days` (0 = Sunday). */
    windowStart: text('window_start').notNull().default('09:00'),
    windowEnd: text('window_end').notNull().default('18:00'),
    days: text('days', { mode: 'json' }).$type<number[]>().notNull().default([1, 2, 3, 4, 5]),
    timezone: text('timezone').notNull(),
    retry: text('retry', { mode: 'json' }).$type<StoredRetryPolicy>().notNull(),
    contactListId: text('contact_list_id'),
    status: text('status').notNull().default('paused'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('campaigns_org_name_uq').on(t.orgId, t.name), index('campaigns_status_idx').on(t.status)],
);

/**
 * One number of a campaign and where the dialer is with it. status: pending | dialing | completed |
 * failed | dnc | cancelled. `attempts` counts dials; `next_attempt_at` (epoch ms) holds a retry back.
 */
export const campaignNumbers = sqliteTable(
  'campaign_numbers',
  {
    id: id(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    orgId: text('org_id').notNull(),
    number: text('number').notNull(),
    variables: text('variables', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull().default(0),
    /** The placed call of the current (or last) attempt: outbound_calls.id = the call log id. */
    lastCallId: text('last_call_id'),
    lastOutcome: text('last_outcome'),
    answered: integer('answered', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('campaign_numbers_uq').on(t.campaignId, t.number),
    // The dialer's two questions: what is due (pending by time), and how many are dialing now.
    index('campaign_numbers_due_idx').on(t.campaignId, t.status, t.nextAttemptAt),
  ],
);

/** Named lists of contacts, attachable to campaigns. */
export const contactLists = sqliteTable(
  'contact_lists',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('contact_lists_org_name_uq').on(t.orgId, t.name)],
);

export const contactListMembers = sqliteTable(
  'contact_list_members',
  {
    listId: text('list_id')
      .notNull()
      .references(() => contactLists.id, { onDelete: 'cascade' }),
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.contactId] })],
);

/** The organization's do-not-call list: the dialer never dials these (checked at dial time). */
export const dncNumbers = sqliteTable(
  'dnc_numbers',
  {
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.number] })],
);
