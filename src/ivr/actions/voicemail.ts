import { emit, addStep, type CallSession } from '../../calls/session.ts';
import { answer, run } from '../media.ts';
import { END, type ActionHandler, type ActionOutcome } from './types.ts';

export async function voicemailFor(s: CallSession, ext: string): Promise<ActionOutcome> {
  s.record.disposition = 'voicemail';
  s.record.answeredBy = `voicemail:${ext}`;
  emit(s, { type: 'call.transferred', target: ext, kind: 'voicemail' });
  await answer(s);
  await run(s, 'voicemail', `default ${s.snapshot?.sipDomain ?? 'default'} ${ext}`, 15 * 60_000);
  return END;
}

/** Leave a message in an extension's voicemail box. */
export const voicemailAction: ActionHandler = async (s, dest) => {
  addStep(s, { step: 'action', type: 'voicemail', value: dest.value });
  return voicemailFor(s, dest.value ?? '');
};
