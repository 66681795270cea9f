import { addStep, END, type ActionHandler, type CallSession } from '../session.ts';
import { recordCall } from '../recording.ts';
import { bridgeTo, unavailable } from '../bridging/bridge-to.ts';
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
    await unavailable(s, 'UNALLOCATED_NUMBER');
    return END;
  }
  await recordCall(s);
  const out = await bridgeTo(s, { kind: 'extension', target: ext, dialString: userDialString(s, ext) });
  if (out.answered) return END;
  if (info.voicemailEnabled) return voicemailFor(s, ext, out.cause);
  await unavailable(s, out.cause === 'USER_BUSY' ? 'USER_BUSY' : 'NO_ANSWER', out.cause);
  return END;
};
