import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { id, createdAt } from './common.ts';

/** One row per bot leg of a call (AI bridge): which agent, how long, what was pressed, how it ended. */
export const botLegs = sqliteTable(
  'bot_legs',
  {
    id: id(),
    /** call_logs.id */
    callId: text('call_id').notNull(),
    callUuid: text('call_uuid').notNull(),
    orgId: text('org_id'),
    /** ai_agents.id, or null for a bare ws(s) URL route */
    agentId: text('agent_id'),
    wsUrl: text('ws_url').notNull(),
    dialect: text('dialect').notNull(),
    streamId: text('stream_id').notNull(),
    startedAt: text('started_at').notNull(),
    durationMs: integer('duration_ms').notNull(),
    dtmf: text('dtmf').notNull().default(''),
    /** transfer | hangup | caller_hangup | connect_refused | connect_timeout | handshake_rejected | bot_closed | bot_silent | ... */
    endReason: text('end_reason').notNull(),
    endDetail: text('end_detail'),
    /** JSON {type, value} when the bot transferred the call */
    transferTarget: text('transfer_target', { mode: 'json' }).$type<{ type: string; value: string } | null>(),
    /** JSON BotLegStats: frames each way, drops, invalid messages, marks */
    stats: text('stats', { mode: 'json' }).$type<Record<string, number>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('bot_legs_call_idx').on(t.callId), index('bot_legs_org_idx').on(t.orgId, t.startedAt)],
);
