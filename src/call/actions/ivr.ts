import type { ActionHandler } from '../session.ts';

/** Nested menu: the walker enters it (with loop protection). */
export const ivrAction: ActionHandler = async (_s, dest) => ({ next: 'ivr', ivrId: dest.value ?? '' });
