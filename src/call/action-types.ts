import type { CallSession } from './session.ts';
import type { DestinationType } from '../domain/destinations.ts';

export interface Destination {
  type: DestinationType;
  value: string | null;
}

/** What the walker does after an action: the call is finished, or it goes back to a menu. */
export type ActionOutcome =
  | { next: 'end' }
  /** back to the current menu (play_prompt) */
  | { next: 'menu' }
  /** replay the current menu without counting a retry */
  | { next: 'repeat' }
  | { next: 'ivr'; ivrId: string };

export type ActionHandler = (s: CallSession, dest: Destination) => Promise<ActionOutcome>;

export const END: ActionOutcome = { next: 'end' };
