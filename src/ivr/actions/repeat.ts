import { addStep } from '../../calls/session.ts';
import type { ActionHandler } from './types.ts';

export const repeatAction: ActionHandler = async (s) => {
  addStep(s, { step: 'action', type: 'repeat', value: null });
  return { next: 'repeat' };
};
