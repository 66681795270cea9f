/**
 * Bot legs (rows of `bot_legs`, one per AI-bridge leg of a call) as the API shows them: inside a call
 * log (`GET /call-logs/{id}`) and per agent (`GET /ai-agents/{id}/legs`). Read-only; the rows come from
 * src/services/call-logs/bot-legs.ts.
 */
import { z } from '@hono/zod-openapi';
import { AGENT_DIALECTS } from '../../../domain/agents.ts';
import type { BotLegRow } from '../../../services/call-logs/bot-legs.ts';

const count_ = (description: string) => z.number().int().openapi({ description });

export const BotLegStatsSchema = z
  .object({
    frames_from_caller: count_('Caller audio datagrams received from FreeSWITCH'),
    frames_to_bot: count_('Caller audio frames sent to the bot'),
    dropped_to_bot: count_('Caller frames dropped because the bot did not read its socket'),
    frames_to_caller: count_('Bot audio frames played to the caller'),
    silence_frames: count_('Filler silence frames played while the bot had nothing queued'),
    dropped_from_bot: count_('Bot audio frames dropped: the play-out buffer was full (bot faster than real time)'),
    skipped_from_bot: count_('Bot audio frames skipped because their play time passed during a stall'),
    invalid_messages: count_('Messages from the bot that failed validation'),
    marks: count_('Marks the bot sent'),
  })
  .openapi('BotLegStats');

export const BotLegSchema = z
  .object({
    id: z.string(),
    call_id: z.string().openapi({ description: 'The call log id' }),
    call_uuid: z.string(),
    agent_id: z.string().nullable().openapi({ description: 'null when the call was routed to a bare ws(s):// URL' }),
    agent_name: z.string().nullable().openapi({ description: 'The agent\'s current name (null once deleted, or for a bare URL)' }),
    ws_url: z.string(),
    dialect: z.enum(AGENT_DIALECTS),
    stream_id: z.string(),
    started_at: z.string(),
    ended_at: z.string(),
    duration_ms: z.number().int(),
    dtmf: z.string().openapi({ description: 'Digits the caller pressed while talking to the bot' }),
    end_reason: z.string().openapi({
      description: 'How the leg ended: transfer | hangup | caller_hangup | connect_refused | connect_timeout | handshake_rejected | ' +
        'connect_error | bot_closed | bot_silent | bot_unresponsive | no_media_port | media_bind_failed | unicast_unsupported | unicast_failed',
      example: 'transfer',
    }),
    end_detail: z.string().nullable().openapi({ description: 'The failure detail, or the bot\'s hangup reason' }),
    transfer_target: z.object({ type: z.string(), value: z.string() }).nullable(),
    stats: BotLegStatsSchema,
  })
  .openapi('BotLeg');

const STAT_KEYS = {
  frames_from_caller: 'framesFromCaller', frames_to_bot: 'framesToBot', dropped_to_bot: 'droppedToBot', frames_to_caller: 'framesToCaller',
  silence_frames: 'silenceFrames', dropped_from_bot: 'droppedFromBot', skipped_from_bot: 'skippedFromBot', invalid_messages: 'invalidMessages', marks: 'marks',
} as const satisfies Record<keyof z.infer<typeof BotLegStatsSchema>, string>;

function toStats(s: Record<string, number>): z.infer<typeof BotLegStatsSchema> {
  const out = {} as Record<keyof typeof STAT_KEYS, number>;
  for (const [api, stored] of Object.entries(STAT_KEYS) as Array<[keyof typeof STAT_KEYS, string]>) {
    const v = s[stored];
    out[api] = typeof v === 'number' && Number.isFinite(v) ? v : 0; // older rows lack newer counters
  }
  return out;
}

export function toBotLegDto(r: BotLegRow): z.infer<typeof BotLegSchema> {
  const started = Date.parse(r.startedAt);
  return {
    id: r.id, call_id: r.callId, call_uuid: r.callUuid, agent_id: r.agentId, agent_name: r.agentName, ws_url: r.wsUrl,
    dialect: r.dialect === 'twilio' ? 'twilio' : 'native', stream_id: r.streamId, started_at: r.startedAt,
    ended_at: Number.isNaN(started) ? r.startedAt : new Date(started + r.durationMs).toISOString(),
    duration_ms: r.durationMs, dtmf: r.dtmf, end_reason: r.endReason, end_detail: r.endDetail,
    transfer_target: r.transferTarget ?? null, stats: toStats(r.stats),
  };
}
