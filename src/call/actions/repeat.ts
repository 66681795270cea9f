import { addStep, type ActionHandler } from '../session.ts';

export const repeatAction: ActionHandler = async (s) => {
  addStep(s, { step: 'action', type: 'repeat', value: null });
  return { next: 'repeat' };
};
