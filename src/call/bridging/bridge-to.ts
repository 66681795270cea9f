import { addStep, emit, type CallSession } from '../session.ts';
import { PROMPTS } from '../prompts.ts';
import { ChannelGoneError } from '../channel.ts';
import { unansweredOutcome } from '../outcome.ts';
import { bridge, playThenHangup, type BridgeOutcome } from '../media.ts';

/**
 * Shared shape of every "ring somebody" action: announce the transfer, bridge, record the outcome.
 * On success the call is over (hangup_after_bridge); on failure the caller decides what next
 * (voicemail, or `unavailable`).
 */
export async function bridgeTo(
  s: CallSession,
  o: { kind: string; target: string; dialString: string },
): Promise<BridgeOutcome> {
  emit(s, { type: 'call.transferred', target: o.target, kind: o.kind });
  const out = await bridge(s, o.dialString);
  const result = out.answered ? 'answered' : out.ended ? 'caller_hangup' : out.cause;
  addStep(s, { step: 'action', type: o.kind, value: o.target, result });
  if (out.answered) {
    s.record.disposition = 'connected';
    s.record.answeredBy = o.target;
  }
  if (out.ended && !out.answered) throw new ChannelGoneError(`caller hung up while ${o.target} was ringing`);
  return out;
}

/**
 * The default failure path: "unavailable", then hang up with `hangupCause`. The outcome (no_answer, busy
 * or failed) comes from what really happened, `bridgeCause` (the bridge's cause), when there was one.
 */
export async function unavailable(s: CallSession, hangupCause: string, bridgeCause = hangupCause): Promise<void> {
  s.record.disposition = unansweredOutcome(bridgeCause);
  s.stage = 'prompt';
  await playThenHangup(s, PROMPTS.unavailable, hangupCause);
}
