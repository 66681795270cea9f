/** The bot leg's row in bot_legs (one insert when the leg ends; a failure is logged, never thrown). */
import type { CallSession } from './session.ts';
import { storageOf } from './storage.ts';
import type { BotTarget } from '../domain/agents.ts';
import type { BotLegResult } from '../bot/leg-types.ts';
import { endLabel } from '../bot/leg.ts';

export async function recordBotLeg(s: CallSession, target: BotTarget, r: BotLegResult): Promise<void> {
  try {
    await storageOf(s.deps).botLeg({
      callId: s.callId,
      callUuid: s.uuid,
      orgId: s.orgId,
      agentId: target.id,
      wsUrl: target.wsUrl,
      dialect: target.dialect,
      streamId: r.streamId,
      startedAt: r.startedAt,
      durationMs: r.durationMs,
      dtmf: r.dtmf,
      endReason: endLabel(r.end),
      endDetail: r.end.kind === 'failed' ? r.end.detail : r.end.kind === 'hangup' ? r.end.reason : null,
      transferTarget: r.end.kind === 'transfer' ? r.end.target : null,
      stats: { ...r.stats },
    });
  } catch (err) {
    s.logger.error({ err }, 'could not record the bot leg');
  }
}
