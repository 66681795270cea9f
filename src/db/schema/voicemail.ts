import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { createdAt } from './common.ts';
import { organizations } from './tenancy.ts';

/**
 * Messages left in extensions' voicemail boxes. The id is chosen before recording (it names the wav
 * file), so it has no default here; call_log_id is the call's log id (no foreign key: the call log row
 * is written in batches and may land after this one).
 */
export const voicemailMessages = sqliteTable(
  'voicemail_messages',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** The box: the extension number the message was left for. */
    extension: text('extension').notNull(),
    callLogId: text('call_log_id'),
    caller: text('caller'),
    did: text('did'),
    /** Absolute path of the wav FreeSWITCH recorded. */
    path: text('path').notNull(),
    durationMs: integer('duration_ms').notNull().default(0),
    heard: integer('heard', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    index('voicemail_messages_org_created_idx').on(t.orgId, t.createdAt),
    index('voicemail_messages_org_ext_created_idx').on(t.orgId, t.extension, t.createdAt),
    index('voicemail_messages_call_idx').on(t.callLogId),
  ],
);
