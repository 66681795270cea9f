import { addStep, emit, type CallSession } from '../../calls/session.ts';
import { PROMPTS } from '../../calls/prompts.ts';
import { bridge, hangup, play, type BridgeOutcome } from '../media.ts';

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
  addStep(s, { step: 'action', type: o.kind, value: o.target, result: out.cause });
  if (out.answered) {
    s.record.disposition = o.kind === 'intercom' ? 'extension' : o.kind;
    s.record.answeredBy = o.target;
  }
  return out;
}

/** The default failure path: "unavailable", then hang up with a cause. */
export async function unavailable(s: CallSession, cause: string): Promise<void> {
  s.record.disposition = 'failed';
  await play(s, PROMPTS.unavailable);
  await hangup(s, cause);
}
