import { addStep, type CallSession } from './session.ts';
import type { PlacedRun } from '../services/calls/placed-spec.ts';
import { hangup, play } from './media.ts';
import { runIvr } from './walker.ts';
import { talkToBot, urlTarget } from './actions/ai-agent.ts';
import type { BotTarget } from '../domain/agents.ts';

/**
 * A call we placed, back in the controller once the customer answered (the originate's `socket` app):
 * play what the row asks for, then go on exactly as an inbound call does (menus, transfers, the bot).
 * The call log row and the ringing/answered events came from the switch side (src/switch/call-control.ts);
 * from here this session owns the row, as the runner owns an inbound call's.
 */
export async function runPlaced(s: CallSession, placed: PlacedRun): Promise<void> {
  const spec = placed.spec;
  // Answered before the socket app ran (originate waits for the answer).
  s.record.answeredAt ??= s.deps.now().toISOString();
  switch (spec.kind) {
    case 'flow':
      addStep(s, { step: 'placed', kind: 'flow', value: spec.ivrId });
      return runIvr(s, spec.ivrId);
    case 'tts': {
      addStep(s, { step: 'placed', kind: 'tts', value: spec.templateId });
      if (!spec.audio) {
        s.record.disposition = 'failed';
        return hangup(s, 'NORMAL_TEMPORARY_FAILURE');
      }
      s.stage = 'prompt';
      await play(s, spec.audio);
      if (spec.ivrId) return runIvr(s, spec.ivrId);
      s.record.disposition = 'message_played';
      return hangup(s, 'NORMAL_CLEARING');
    }
    case 'bot': {
      addStep(s, { step: 'placed', kind: 'bot', value: spec.agentId ?? spec.target?.wsUrl ?? null });
      const agent = spec.agentId ? s.snapshot?.agents[spec.agentId] : undefined;
      const target: BotTarget | null = spec.target ? urlTarget(spec.target.wsUrl, spec.target) : agent ? { ...agent } : null;
      // The agent extension takes the customer when the bot fails (hybrid hand-off); else the agent's own fallback.
      const fallback = spec.agentExtension ? { type: 'extension' as const, value: spec.agentExtension } : (agent?.fallback ?? null);
      const out = await talkToBot(s, target, fallback, spec.agentId ?? spec.target?.wsUrl ?? null, { direction: 'outbound', ...spec.parameters });
      if (out.next === 'ivr') return runIvr(s, out.ivrId);
      return;
    }
  }
}
