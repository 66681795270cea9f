import type { ActionOutcome, CallSession, Destination } from './session.ts';

/** Run a destination's action (timeout/invalid/fallback destinations, DID routes) from the call's action table. */
export function finalDestination(s: CallSession, dest: Destination): Promise<ActionOutcome> {
  return s.actions[dest.type](s, dest);
}
