/**
 * What placing calls needs from the switches: src/switch/call-control.ts implements it over their inbound
 * ESL connections (main.ts builds it; the API reaches it as `deps.calls`). Its failures are domain errors.
 */
import { DomainError } from '../../domain/errors.ts';
import type { NewCall, OutboundRow } from './call-store.ts';

/** No switch is connected (or the call's switch is not, or did not answer): nothing was placed or hung up. */
export class SwitchUnavailableError extends DomainError {
  override readonly name = 'SwitchUnavailableError';
  readonly code = 'service_unavailable';
}

/** The call is not live (any more): there is nothing to hang up. */
export class CallNotLiveError extends DomainError {
  override readonly name = 'CallNotLiveError';
  readonly code = 'conflict';
}

export type { NewCall } from './call-store.ts';

/** A call's channel: its uuid and the switch that has it (null: not known, every switch is asked). */
export interface ChannelRef {
  readonly uuid: string;
  readonly switchId: string | null;
}

export interface CallControl {
  /** At least one switch is connected. */
  readonly connected: boolean;
  /** Stores the call; dials now unless it is scheduled. Not connected → SwitchUnavailableError (nothing stored). */
  create(call: NewCall): Promise<OutboundRow>;
  /** Dials a stored row already claimed as 'dialing' (the scheduler's path). */
  place(id: string): Promise<void>;
  /** Hangs up a live call (placed, or inbound by its channel), or cancels a scheduled one; the command goes to the call's switch. */
  hangup(orgId: string, id: string, channel?: ChannelRef | null): Promise<'hungup' | 'cancelled'>;
  start(): void;
  stop(): void;
  /**
   * Once the database writes this instance has queued for a call it follows are done (its ringing,
   * answer, bridge), also when the switch side already ended it; at once for any other call. A placed call's session waits for it before announcing
   * call.hangup, so a slow answer write cannot announce call.answered after the hangup.
   */
  settled(id: string): Promise<void>;
}
