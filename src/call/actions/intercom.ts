import { END, type ActionHandler } from '../session.ts';
import { recordCall } from '../recording.ts';
import { userDialString } from './extension.ts';
import { bridgeTo, unavailable } from '../bridging/bridge-to.ts';

/** Ring an extension that answers by itself (paging / intercom). */
export const intercomAction: ActionHandler = async (s, dest) => {
  const ext = dest.value ?? '';
  const autoAnswer = ['sip_auto_answer=true', `sip_h_Call-Info=<sip:${s.snapshot?.sipDomain ?? 'default'}>;answer-after=0`];
  await recordCall(s);
  const out = await bridgeTo(s, { kind: 'intercom', target: ext, dialString: userDialString(s, ext, autoAnswer) });
  if (!out.answered) await unavailable(s, 'NO_ANSWER');
  return END;
};
