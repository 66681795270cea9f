import { addStep, emit } from '../../calls/session.ts';
import { PROMPTS } from '../../calls/prompts.ts';
import { answer, hangup, play, run } from '../media.ts';
import { recordCall } from '../recording.ts';
import { END, type ActionHandler } from './types.ts';

/**
 * Put the caller in a mod_callcenter queue. Queue events (CUSTOM callcenter::info) tell who
 * answered; myevents-style filtering by Unique-ID keeps only this member's events.
 */
export const queueAction: ActionHandler = async (s, dest) => {
  const q = s.snapshot?.queues[dest.value ?? ''];
  if (!q) {
    addStep(s, { step: 'action', type: 'queue', value: dest.value, result: 'unavailable' });
    await play(s, PROMPTS.unavailable);
    s.record.disposition = 'failed';
    await hangup(s, 'NORMAL_TEMPORARY_FAILURE');
    return END;
  }
  await answer(s);
  await recordCall(s);
  let agent: string | null = null;
  let cancelReason: string | null = null;
  const stop = s.channel.onEvent((e) => {
    if (e.name !== 'CUSTOM' || e.subclass !== 'callcenter::info') return;
    const action = e.headers['CC-Action'];
    if (action === 'bridge-agent-start') agent = e.headers['CC-Agent'] ?? agent;
    if (action === 'member-queue-end') cancelReason = e.headers['CC-Cancel-Reason'] ?? e.headers['CC-Cause'] ?? null;
  });
  try {
    await s.channel.subscribe('CUSTOM callcenter::info');
    emit(s, { type: 'call.transferred', target: q.fsName, kind: 'queue' });
    const waitMs = (q.maxWaitTime > 0 ? q.maxWaitTime : s.deps.settings.foreverS) * 1000 + 6 * 3600_000;
    const res = await run(s, 'callcenter', q.fsName, waitMs);
    agent ??= res.variables.cc_agent ?? null;
    cancelReason ??= res.variables.cc_cancel_reason ?? null;
  } finally {
    stop();
    const answeredBy = agent as string | null;
    s.record.disposition = answeredBy ? 'queue' : 'abandoned';
    if (answeredBy) s.record.answeredBy = answeredBy;
    addStep(s, { step: 'action', type: 'queue', value: q.number, result: answeredBy ? `agent:${answeredBy}` : (cancelReason ?? 'left') });
  }
  await play(s, PROMPTS.goodbye);
  await hangup(s, 'NORMAL_CLEARING');
  return END;
};
