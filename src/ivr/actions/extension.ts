import { addStep, emit, type CallSession } from '../../calls/session.ts';
import { bridge, hangup, play } from '../media.ts';
import { PROMPTS } from '../../calls/prompts.ts';
import { END, type ActionHandler } from './types.ts';
import { voicemailFor } from './voicemail.ts';

export function userDialString(s: CallSession, ext: string, extraVars: string[] = []): string {
  const vars = [`leg_timeout=${s.deps.settings.ringTimeoutS}`, ...extraVars].join(',');
  return `{${vars}}user/${ext}@${s.snapshot?.sipDomain ?? 'default'}`;
}

/** Ring an extension; on busy/no answer go to its voicemail when enabled, else play "unavailable" and hang up. */
export const extensionAction: ActionHandler = async (s, dest) => {
  const ext = dest.value ?? '';
  const info = s.snapshot?.extensions[ext];
  if (!info || !info.enabled) {
    addStep(s, { step: 'action', type: 'extension', value: ext, result: 'unavailable' });
    await play(s, PROMPTS.unavailable);
    s.record.disposition = 'failed';
    await hangup(s, 'UNALLOCATED_NUMBER');
    return END;
  }
  emit(s, { type: 'call.transferred', target: ext, kind: 'extension' });
  const out = await bridge(s, userDialString(s, ext));
  addStep(s, { step: 'action', type: 'extension', value: ext, result: out.cause });
  if (out.answered) {
    s.record.disposition = 'extension';
    s.record.answeredBy = ext;
    return END;
  }
  if (info.voicemailEnabled) return voicemailFor(s, ext);
  await play(s, PROMPTS.unavailable);
  s.record.disposition = 'failed';
  await hangup(s, out.cause === 'USER_BUSY' ? 'USER_BUSY' : 'NO_ANSWER');
  return END;
};
