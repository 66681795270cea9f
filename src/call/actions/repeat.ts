import { addStep } from '../session.ts';
import type { ActionHandler } from '../action-types.ts';

export const repeatAction: ActionHandler = async (s) => {
  addStep(s, { step: 'action', type: 'repeat', value: null });
  return { next: 'repeat' };
};
