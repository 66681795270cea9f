import type { CallContact } from './contacts.ts';

/**
 * Call events, emitted through one bus: the live call (src/call) and the switch's placed calls (src/switch)
 * emit them, the webhook outbox (src/services/webhooks) subscribes.
 */
export type CallEvent =
  /** `contact`: the caller's saved contact (inbound calls; null when unknown). */
  | { type: 'call.ringing'; callId: string; orgId: string | null; did: string; caller: string; contact?: CallContact | null; at: string }
  | { type: 'call.answered'; callId: string; orgId: string | null; at: string }
  | { type: 'call.dtmf'; callId: string; orgId: string | null; digits: string; at: string }
  | { type: 'ivr.selection'; callId: string; orgId: string | null; ivrId: string; digits: string; action: string; destination: string | null; at: string }
  | { type: 'call.transferred'; callId: string; orgId: string | null; target: string; kind: string; at: string }
  | { type: 'call.bridged'; callId: string; orgId: string | null; otherLeg: string; at: string }
  | { type: 'bot.connected'; callId: string; orgId: string | null; agentId: string | null; streamId: string; dialect: string; at: string }
  | { type: 'bot.ended'; callId: string; orgId: string | null; agentId: string | null; streamId: string; reason: string; durationMs: number; at: string }
  | { type: 'voicemail.new'; callId: string; orgId: string | null; messageId: string; extension: string; caller: string; durationMs: number; at: string }
  /** `disposition` is the call's outcome (src/call/outcome.ts); `leftAt` the stage it ended in. */
  | { type: 'call.hangup'; callId: string; orgId: string | null; cause: string | null; disposition: string | null; leftAt?: string; at: string };

/** An event as its emitter writes it: emit (src/call/session.ts) adds the call's identity and the time. */
export type CallEventBody = DistributiveOmit<CallEvent, 'callId' | 'orgId' | 'at'>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type CallEventListener = (event: CallEvent) => void;

export interface CallEventBus {
  emit(event: CallEvent): void;
  subscribe(listener: CallEventListener): () => void;
  listenerCount(): number;
}

/** Created in main.ts and passed in. A throwing listener is isolated: it never breaks the call. */
export function createCallEventBus(onListenerError: (err: unknown) => void = () => {}): CallEventBus {
  const listeners = new Set<CallEventListener>();
  return {
    emit(event) {
      for (const l of listeners) {
        try {
          l(event);
        } catch (err) {
          onListenerError(err);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listenerCount: () => listeners.size,
  };
}
