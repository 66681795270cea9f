import { addStep, END, type ActionHandler } from '../session.ts';
import { hangup } from '../media.ts';

export const hangupAction: ActionHandler = async (s) => {
  addStep(s, { step: 'action', type: 'hangup', value: null });
  s.record.disposition ??= 'ended_by_ivr';
  await hangup(s, 'NORMAL_CLEARING');
  return END;
};
