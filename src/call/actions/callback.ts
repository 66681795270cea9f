import { addStep, END, type ActionHandler } from '../session.ts';
import { PROMPTS } from '../prompts.ts';
import { playThenHangup } from '../media.ts';
import { storageOf } from '../storage.ts';

/** Record a callback request (caller, DID, time) for the org, confirm with a tone, hang up. */
export const callbackAction: ActionHandler = async (s) => {
  if (s.orgId) {
    await storageOf(s.deps).callback({ orgId: s.orgId, callUuid: s.uuid, callerNumber: s.caller, did: s.did, ivrId: currentIvr(s) });
  }
  addStep(s, { step: 'action', type: 'callback', value: null, result: 'recorded' });
  s.record.disposition = 'callback_requested';
  s.stage = 'prompt';
  await playThenHangup(s, PROMPTS.confirm, 'NORMAL_CLEARING');
  return END;
};

function currentIvr(s: Parameters<ActionHandler>[0]): string | null {
  for (let i = s.record.path.length - 1; i >= 0; i--) {
    const p = s.record.path[i];
    if (p?.step === 'ivr') return p.ivrId;
  }
  return null;
}
