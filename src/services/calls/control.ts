/**
 * What placing calls needs from the switch: src/switch/call-control.ts implements it over the inbound
 * ESL connection (main.ts builds it; the API reaches it as `deps.calls`). Its failures are domain errors.
 */
import { DomainError } from '../../domain/errors.ts';
import type { NewCall, OutboundRow } from './call-store.ts';

/** FreeSWITCH is not connected (or did not answer): nothing was placed or hung up. */
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

export interface CallControl {
  readonly connected: boolean;
  /** Stores the call; dials now unless it is scheduled. Not connected → SwitchUnavailableError (nothing stored). */
  create(call: NewCall): Promise<OutboundRow>;
  /** Dials a stored row already claimed as 'dialing' (the scheduler's path). */
  place(id: string): Promise<void>;
  /** Hangs up a live call (placed or inbound, by call uuid), or cancels a scheduled one. */
  hangup(orgId: string, id: string, callUuid?: string | null): Promise<'hungup' | 'cancelled'>;
  start(): void;
  stop(): void;
}
