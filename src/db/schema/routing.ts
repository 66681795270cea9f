import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
import { id, createdAt, updatedAt } from './common.ts';
import { organizations } from './tenancy.ts';

/** A destination as stored for timeout/invalid/fallback targets: { type, value }. */
export type StoredDestination = { type: string; value: string | null };

/** User extensions (SIP users in the org's domain). */
export const extensions = sqliteTable(
  'extensions',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    name: text('name').notNull(),
    /** Served to FreeSWITCH's directory through mod_xml_curl; never returned by the API. */
    sipPassword: text('sip_password').notNull(),
    voicemailEnabled: integer('voicemail_enabled', { mode: 'boolean' }).notNull().default(true),
    /** The admin's voicemail greeting text; null = the default greeting. */
    voicemailGreeting: text('voicemail_greeting'),
    /** Absolute path of the rendered greeting wav (custom or default); null = not rendered (rendered on the first call). */
    voicemailGreetingFile: text('voicemail_greeting_file'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('extensions_org_number_uq').on(t.orgId, t.number)],
);

/** mod_callcenter queues. */
export const queues = sqliteTable(
  'queues',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    number: text('number').notNull(),
    name: text('name').notNull(),
    /** As mod_callcenter names them: ring-all, longest-idle-agent, round-robin, top-down, ... */
    strategy: text('strategy').notNull().default('longest-idle-agent'),
    mohSound: text('moh_sound').notNull().default('local_stream://moh'),
    /** Seconds a caller may wait before leaving the queue (0 = no limit). */
    maxWaitTime: integer('max_wait_time').notNull().default(300),
    tierRulesApply: integer('tier_rules_apply', { mode: 'boolean' }).notNull().default(false),
    discardAbandonedAfter: integer('discard_abandoned_after').notNull().default(60),
    /** Where a caller goes when max_wait_time passes with no agent (null: goodbye, outcome queue_timeout). */
    timeoutDestination: text('timeout_destination', { mode: 'json' }).$type<StoredDestination | null>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('queues_org_number_uq').on(t.orgId, t.number)],
);

/** Agents of a queue, by extension, with their tier level and position. */
export const queueAgents = sqliteTable(
  'queue_agents',
  {
    queueId: text('queue_id')
      .notNull()
      .references(() => queues.id, { onDelete: 'cascade' }),
    extensionId: text('extension_id')
      .notNull()
      .references(() => extensions.id, { onDelete: 'cascade' }),
    level: integer('level').notNull().default(1),
    position: integer('position').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.queueId, t.extensionId] })],
);

export const ivrs = sqliteTable(
  'ivrs',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    extension: text('extension').notNull(),
    description: text('description'),
    greetingPrompt: text('greeting_prompt'),
    greetingText: text('greeting_text'),
    greetingLanguage: text('greeting_language').notNull().default('en-IN'),
    greetingVoice: text('greeting_voice').notNull().default('en-IN-Wavenet-D'),
    /** Seconds to wait for the first digit; 0 = forever. */
    timeout: integer('timeout').notNull().default(10),
    /** Seconds between digits of a multi-digit entry (direct dial). */
    interDigitTimeout: integer('inter_digit_timeout').notNull().default(3),
    /** The default limit for both timeouts and invalid entries, each counted on its own. */
    maxRetries: integer('max_retries').notNull().default(3),
    /** Timeouts before the timeout destination; null = max_retries. */
    timeoutRetries: integer('timeout_retries'),
    /** Invalid entries before the invalid destination; null = max_retries. */
    invalidRetries: integer('invalid_retries'),
    enableDirectDial: integer('enable_direct_dial', { mode: 'boolean' }).notNull().default(false),
    /** disabled | all | allow_list | deny_list */
    directDialPolicy: text('direct_dial_policy').notNull().default('disabled'),
    directDialList: text('direct_dial_list', { mode: 'json' }).$type<string[]>().notNull().default([]),
    /** Prompts: a sound path/file name or TTS text; null = built-in prompt. */
    timeoutPrompt: text('timeout_prompt'),
    invalidPrompt: text('invalid_prompt'),
    timeoutDestination: text('timeout_destination', { mode: 'json' }).$type<StoredDestination | null>(),
    invalidDestination: text('invalid_destination', { mode: 'json' }).$type<StoredDestination | null>(),
    status: text('status').notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('ivrs_org_extension_uq').on(t.orgId, t.extension), index('ivrs_org_idx').on(t.orgId)],
);

export const ivrMenuOptions = sqliteTable(
  'ivr_menu_options',
  {
    id: id(),
    ivrId: text('ivr_id')
      .notNull()
      .references(() => ivrs.id, { onDelete: 'cascade' }),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    digit: text('digit').notNull(),
    actionType: text('action_type').notNull(),
    destination: text('destination'),
    description: text('description'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('ivr_menu_options_ivr_digit_uq').on(t.ivrId, t.digit), index('ivr_menu_options_org_idx').on(t.orgId)],
);

/** Phone numbers. org_id null = in the pool. */
export const dids = sqliteTable(
  'dids',
  {
    id: id(),
    number: text('number').notNull(),
    orgId: text('org_id').references(() => organizations.id, { onDelete: 'set null' }),
    routingType: text('routing_type'),
    routingDestination: text('routing_destination'),
    description: text('description'),
    status: text('status').notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('dids_number_uq').on(t.number), index('dids_org_idx').on(t.orgId)],
);

/** Every move of a number between the pool and organizations. */
export const didHistory = sqliteTable(
  'did_history',
  {
    id: id(),
    didId: text('did_id')
      .notNull()
      .references(() => dids.id, { onDelete: 'cascade' }),
    orgId: text('org_id'),
    action: text('action', { enum: ['assigned', 'released', 'routed'] }).notNull(),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
    actorUserId: text('actor_user_id'),
    createdAt: createdAt(),
  },
  (t) => [index('did_history_did_idx').on(t.didId)],
);

/** AI voice agents (bots reached over WebSocket). */
export const aiAgents = sqliteTable(
  'ai_agents',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    wsUrl: text('ws_url').notNull(),
    headers: text('headers', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    /** native | twilio */
    dialect: text('dialect').notNull().default('native'),
    /** l16_8k | l16_16k | l16_24k | pcmu_8k */
    audioFormat: text('audio_format').notNull().default('l16_16k'),
    systemPrompt: text('system_prompt'),
    language: text('language').notNull().default('en-IN'),
    openingText: text('opening_text'),
    connectTimeoutMs: integer('connect_timeout_ms').notNull().default(3000),
    fallbackDestination: text('fallback_destination', { mode: 'json' }).$type<StoredDestination | null>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('ai_agents_org_idx').on(t.orgId)],
);

/**
 * Business-hours schedules (the time_condition destination): a weekly schedule in an IANA timezone and
 * holidays, routing to one destination when open and another when closed. The JSON shapes are
 * src/domain/business-hours.ts's WeeklyHours and Holiday, spelled out here: src/db imports nothing of ours.
 */
export const businessHours = sqliteTable(
  'business_hours',
  {
    id: id(),
    orgId: text('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    timezone: text('timezone').notNull(),
    /** Per weekday (sun…sat, every day present) the open ranges, "HH:mm"–"HH:mm" (end may be "24:00"). */
    weekly: text('weekly', { mode: 'json' }).$type<Record<string, { start: string; end: string }[]>>().notNull(),
    holidays: text('holidays', { mode: 'json' }).$type<{ date: string; name: string }[]>().notNull().default([]),
    openDestination: text('open_destination', { mode: 'json' }).$type<StoredDestination>().notNull(),
    closedDestination: text('closed_destination', { mode: 'json' }).$type<StoredDestination>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('business_hours_org_name_uq').on(t.orgId, t.name)],
);
