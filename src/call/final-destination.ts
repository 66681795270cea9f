import type { CallSession } from './session.ts';
import { actionHandlers } from './actions/index.ts';
import type { ActionOutcome, Destination } from './action-types.ts';

/** Run a destination's action (timeout/invalid/fallback destinations, DID routes). */
export function finalDestination(s: CallSession, dest: Destination): Promise<ActionOutcome> {
  return actionHandlers()[dest.type](s, dest);
}
