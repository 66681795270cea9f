import { sqliteTable, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { id, createdAt, updatedAt } from './common.ts';
import { organizations } from './tenancy.ts';

/** The organization's address book: every inbound call looks its caller up here (by E.164 phone). */
export const contacts = sqliteTable(
  'contacts',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** E.164, normalized on the way in, so the caller id of a call matches it exactly. */
    phone: text('phone').notNull(),
    email: text('email'),
    company: text('company'),
    /** Call variables: key → value, shown to bots, call logs and webhooks as the contact's. */
    variables: text('variables', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('contacts_org_phone_uq').on(t.orgId, t.phone), index('contacts_org_name_idx').on(t.orgId, t.name)],
);

/** Text-to-speech templates: text with {{name}} / {{1}} placeholders, rendered to audio on demand. */
export const ttsTemplates = sqliteTable(
  'tts_templates',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    text: text('text').notNull(),
    language: text('language').notNull(),
    voice: text('voice'),
    /** ready | error (the last synthesis failed; last_error says why). */
    status: text('status', { enum: ['ready', 'error'] }).notNull().default('ready'),
    lastError: text('last_error'),
    lastRenderedAt: text('last_rendered_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('tts_templates_org_name_uq').on(t.orgId, t.name)],
);
