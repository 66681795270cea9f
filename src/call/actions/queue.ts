import { ChannelGoneError } from '../channel.ts';
import { addStep, emit } from '../session.ts';
import { PROMPTS } from '../prompts.ts';
import { answer, ensureBridgeVars, hangup, playThenHangup } from '../media.ts';
import { recordCall } from '../recording.ts';
import { finalDestination } from '../final-destination.ts';
import { END, type ActionHandler } from '../session.ts';

/**
 * Put the caller in a mod_callcenter queue (stage `queue`; hold music from the queue).
 *
 * When an agent answers, mod_callcenter bridges the two legs itself (uuid_bridge): the `callcenter`
 * app returns with `cc_cause=answered` while the caller is talking to the agent, and the talk is not
 * ours to end — we send nothing more and wait for the hangup (captured on the real switch:
 * test/switch/fixtures). Without an agent, the app returns with `cc_cancel_reason` (TIMEOUT at
 * max-wait-time, …), or the caller hangs up while waiting.
 */
/** What the queue's outcome is read from (the socket is async: its EXECUTE_COMPLETE carries them all). */
const QUEUE_VARS = ['cc_cause', 'cc_agent', 'cc_agent_uuid', 'bridge_uuid', 'cc_cancel_reason'] as const;

export const queueAction: ActionHandler = async (s, dest) => {
  const q = s.snapshot?.queues[dest.value ?? ''];
  // An async socket: when an agent answers, mod_callcenter bridges the channel itself, and only an
  // async socket still sees the talk's hangup (CallChannel.goAsync).
  if (!q || !((await s.channel.goAsync?.()) ?? true)) {
    addStep(s, { step: 'action', type: 'queue', value: q?.number ?? dest.value, result: 'unavailable' });
    s.record.disposition = 'failed';
    s.stage = 'prompt';
    await playThenHangup(s, PROMPTS.unavailable, 'NORMAL_TEMPORARY_FAILURE');
    return END;
  }
  await answer(s);
  await recordCall(s);
  // mod_callcenter bridges the caller to the agent: when the agent hangs up, the caller must be hung
  // up too, not sent on through the dialplan.
  await ensureBridgeVars(s);
  emit(s, { type: 'call.transferred', target: q.fsName, kind: 'queue' });
  s.stage = 'queue';
  const waitMs = (q.maxWaitTime > 0 ? q.maxWaitTime : s.deps.settings.foreverS) * 1000 + 60_000;
  if (s.channel.signal.aborted) throw new ChannelGoneError('channel hung up');
  const res = await s.channel.execute('callcenter', q.fsName, { timeoutMs: waitMs, vars: QUEUE_VARS });
  const v = res.variables;
  if (v.cc_cause === 'answered') {
    // The agent's extension: the leg mod_callcenter dialled (Other-Leg-*), or cc_agent (`1001@domain`).
    const agent = res.headers['Other-Leg-Destination-Number'] || (v.cc_agent ?? '').split('@')[0] || null;
    s.stage = 'talk';
    s.record.disposition = 'connected';
    s.record.answeredBy = agent;
    addStep(s, { step: 'action', type: 'queue', value: q.number, result: agent ? `agent:${agent}` : 'answered' });
    emit(s, { type: 'call.bridged', otherLeg: v.cc_agent_uuid ?? v.bridge_uuid ?? '' });
    await s.channel.waitForHangup((s.deps.settings.maxTalkS ?? 4 * 3600) * 1000);
    return END;
  }
  if (!res.completed) {
    addStep(s, { step: 'action', type: 'queue', value: q.number, result: 'caller_hangup' });
    throw new ChannelGoneError('caller hung up in the queue');
  }
  const reason = v.cc_cancel_reason ?? v.cc_cause ?? 'left';
  addStep(s, { step: 'action', type: 'queue', value: q.number, result: reason.toLowerCase() });
  // The queue's exit destination takes a caller nobody answered in time (voicemail, another queue, …).
  if (reason === 'TIMEOUT' && q.timeoutDestination) return finalDestination(s, q.timeoutDestination);
  s.record.disposition = reason === 'TIMEOUT' ? 'queue_timeout' : 'failed';
  s.stage = 'prompt';
  await playThenHangup(s, PROMPTS.goodbye, 'NORMAL_CLEARING');
  return END;
};
