import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { id, createdAt, updatedAt } from './common.ts';
import { organizations } from './tenancy.ts';

/** Org-defined call statuses (seeded with the defaults the first time an org lists them). */
export const dispositions = sqliteTable(
  'dispositions',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('dispositions_org_name_uq').on(t.orgId, t.name)],
);

/** Notes and disposition changes attached to a call (call log id or SIP/FreeSWITCH call id); rows are history. */
export const callNotes = sqliteTable(
  'call_notes',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    callLogId: text('call_log_id').notNull(),
    dispositionId: text('disposition_id'),
    /** Name at the time of writing, so renaming/deleting a disposition keeps history readable. */
    disposition: text('disposition'),
    note: text('note'),
    authorId: text('author_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('call_notes_call_idx').on(t.orgId, t.callLogId, t.createdAt)],
);

/**
 * Incremental-sync feed: a row is appended (by a SQLite trigger, see the call_apis_feed migration) each
 * time a call log gets its `ended_at`. `seq` is the cursor integrations keep.
 */
export const callLogFeed = sqliteTable(
  'call_log_feed',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    callLogId: text('call_log_id').notNull(),
    orgId: text('org_id'),
  },
  (t) => [index('call_log_feed_org_seq_idx').on(t.orgId, t.seq)],
);

export const webhookEndpoints = sqliteTable(
  'webhook_endpoints',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    secret: text('secret').notNull(),
    events: text('events', { mode: 'json' }).$type<string[]>().notNull(),
    description: text('description'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('webhook_endpoints_org_idx').on(t.orgId)],
);

/** The durable outbox: one row per (event, endpoint); the body is frozen at enqueue time. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: id(),
    orgId: text('org_id').notNull(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventType: text('event_type').notNull(),
    body: text('body').notNull(),
    /** pending | delivered | failed */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** Epoch ms of the next attempt; a claimed row has it pushed forward by the lease. */
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    deliveredAt: text('delivered_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
  ],
);

export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: id(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    endpointId: text('endpoint_id').notNull(),
    attempt: integer('attempt').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_attempts_endpoint_idx').on(t.endpointId, t.createdAt), index('webhook_attempts_delivery_idx').on(t.deliveryId)],
);

/**
 * Calls we place (click-to-call, two-party, masking; flow, tts and bot calls that our call controller
 * runs once the customer answers). `id` is also the call_logs id (the `logid`).
 * status: scheduled | dialing | ringing | answered | bridged | ended | failed | cancelled
 */
export const outboundCalls = sqliteTable(
  'outbound_calls',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    did: text('did').notNull(),
    /** Agent extension (click-to-call) */
    extNo: text('ext_no'),
    /** Numbers as dialled; masked forms for masking calls. */
    firstNumber: text('first_number'),
    secondNumber: text('second_number'),
    intro: text('intro'),
    /** What the controller runs once a flow / tts / bot call is answered (PlacedSpec, JSON). */
    spec: text('spec', { mode: 'json' }).$type<unknown>(),
    /** A campaign's call: its campaign and number (campaign logs are these rows with their call logs). */
    campaignId: text('campaign_id'),
    campaignNumberId: text('campaign_number_id'),
    status: text('status').notNull(),
    hangupCause: text('hangup_cause'),
    aLegUuid: text('a_leg_uuid').notNull(),
    bLegUuid: text('b_leg_uuid').notNull(),
    /** The switch the call was dialled on (SWITCHES id): every later uuid_* command for it goes there. Null: not dialled yet, or unknown. */
    switchId: text('switch_id'),
    maskingSessionId: text('masking_session_id'),
    /** Epoch ms; scheduled calls only. */
    scheduledAt: integer('scheduled_at'),
    timezone: text('timezone'),
    startedAt: text('started_at'),
    answeredAt: text('answered_at'),
    bridgedAt: text('bridged_at'),
    endedAt: text('ended_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('outbound_calls_org_idx').on(t.orgId, t.createdAt),
    index('outbound_calls_due_idx').on(t.status, t.scheduledAt),
    index('outbound_calls_a_leg_idx').on(t.aLegUuid),
    index('outbound_calls_campaign_idx').on(t.campaignId, t.createdAt),
  ],
);

export const callRecordings = sqliteTable(
  'call_recordings',
  {
    id: id(),
    orgId: text('org_id').notNull(),
    callId: text('call_id').notNull(),
    path: text('path').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('call_recordings_call_idx').on(t.orgId, t.callId)],
);

/** The real pair exists only while the session is active; ending it nulls them and keeps the masked forms. */
export const maskingSessions = sqliteTable(
  'masking_sessions',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    did: text('did').notNull(),
    firstPhone: text('first_phone'),
    secondPhone: text('second_phone'),
    firstMasked: text('first_masked').notNull(),
    secondMasked: text('second_masked').notNull(),
    /** active | ended | cancelled */
    status: text('status').notNull().default('active'),
    expiresAt: text('expires_at'),
    endedAt: text('ended_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('masking_sessions_org_idx').on(t.orgId, t.createdAt),
    // Every inbound call asks whether its caller is a party of a live session on the dialled DID.
    index('masking_sessions_did_active_idx').on(t.did, t.status, t.createdAt),
  ],
);
