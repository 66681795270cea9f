import { addStep, emit } from '../../calls/session.ts';
import { PROMPTS } from '../../calls/prompts.ts';
import { bridge, hangup, play } from '../media.ts';
import { userDialString } from './extension.ts';
import { END, type ActionHandler } from './types.ts';

/** Ring an extension that answers by itself (paging / intercom). */
export const intercomAction: ActionHandler = async (s, dest) => {
  const ext = dest.value ?? '';
  emit(s, { type: 'call.transferred', target: ext, kind: 'intercom' });
  const autoAnswer = ['sip_auto_answer=true', `sip_h_Call-Info=<sip:${s.snapshot?.sipDomain ?? 'default'}>;answer-after=0`];
  const out = await bridge(s, userDialString(s, ext, autoAnswer));
  addStep(s, { step: 'action', type: 'intercom', value: ext, result: out.cause });
  if (out.answered) {
    s.record.disposition = 'extension';
    s.record.answeredBy = ext;
    return END;
  }
  s.record.disposition = 'failed';
  await play(s, PROMPTS.unavailable);
  await hangup(s, 'NO_ANSWER');
  return END;
};
