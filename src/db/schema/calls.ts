import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { id, createdAt } from './common.ts';

/** One row per call, written as the call progresses and finished in the call's teardown. */
export const callLogs = sqliteTable(
  'call_logs',
  {
    id: id(),
    /** FreeSWITCH channel Unique-ID. */
    callUuid: text('call_uuid').notNull(),
    /** The switch that has the channel (SWITCHES id); null when it could not be told (commands then ask every switch). */
    switchId: text('switch_id'),
    orgId: text('org_id'),
    direction: text('direction').notNull().default('inbound'),
    did: text('did'),
    caller: text('caller'),
    callerName: text('caller_name'),
    startedAt: text('started_at').notNull(),
    answeredAt: text('answered_at'),
    endedAt: text('ended_at'),
    /** Seconds from start to end. */
    durationS: integer('duration_s'),
    /** JSON: ordered steps (menus visited, digits pressed, transfers). */
    path: text('path', { mode: 'json' }).$type<unknown[]>().notNull().default([]),
    dtmf: text('dtmf').notNull().default(''),
    /** The outcome (src/call/outcome.ts: connected, voicemail, abandoned, no_input, …). */
    disposition: text('disposition'),
    /** The stage the call ended in (greeting, menu, ringing, talk, queue, bot, voicemail, prompt). */
    leftAt: text('left_at'),
    answeredBy: text('answered_by'),
    hangupCause: text('hangup_cause'),
    snapshotVersion: integer('snapshot_version'),
    /** The caller's saved contact when the call arrived (looked up once; later edits do not rewrite history). */
    contactId: text('contact_id'),
    contactName: text('contact_name'),
    contactVariables: text('contact_variables', { mode: 'json' }).$type<Record<string, string>>(),
    createdAt: createdAt(),
  },
  (t) => [
    index('call_logs_org_started_idx').on(t.orgId, t.startedAt),
    index('call_logs_uuid_idx').on(t.callUuid),
    index('call_logs_caller_idx').on(t.orgId, t.caller),
    // Partial: inbound rows (the bulk) are listed through org_started; see migration 0006.
    index('call_logs_org_type_started_idx').on(t.orgId, t.direction, t.startedAt).where(sql`${t.direction} <> 'inbound'`),
  ],
);

/** Callback requests left by callers (menu/DID action "callback"). */
export const callbackRequests = sqliteTable(
  'callback_requests',
  {
    id: id(),
    orgId: text('org_id').notNull(),
    callUuid: text('call_uuid'),
    callerNumber: text('caller_number').notNull(),
    did: text('did'),
    ivrId: text('ivr_id'),
    status: text('status').notNull().default('pending'),
    createdAt: createdAt(),
  },
  (t) => [index('callback_requests_org_idx').on(t.orgId, t.createdAt)],
);
