import type { OutboundSession } from '../esl/outbound-session.ts';
import type { EslEvent } from '../esl/event.ts';
import { prefixedView } from '../esl/headers.ts';
import { ChannelGoneError, type CallChannel, type ChannelEvent, type ExecResult } from './channel.ts';

/** Events a call needs. `myevents` would bring every channel event (~6 KB each, most unused). */
export const CALL_EVENTS = ['CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP', 'DTMF'] as const;

/** FreeSWITCH closes the socket by itself this long after hangup if we never say `exit`. */
const LINGER_S = 30;

export interface EslChannelOptions {
  commandTimeoutMs: number;
  /** default timeout of an app when the caller gives none */
  executeTimeoutMs: number;
}

/**
 * Prepare an outbound session for call control (linger, filter to this channel, subscribe to
 * the few events calls use) and expose it as a CallChannel.
 */
export async function openEslChannel(session: OutboundSession, opts: EslChannelOptions): Promise<CallChannel> {
  const cmd = { timeoutMs: opts.commandTimeoutMs, signal: session.signal };
  // Pipelined: replies come back in order, so the three commands cost one round trip.
  await Promise.all([session.linger(LINGER_S, cmd), session.filter('Unique-ID', session.uuid, cmd), session.subscribe(CALL_EVENTS, cmd)]);
  const data = session.channel;

  return {
    uuid: session.uuid,
    destinationNumber: data.destinationNumber,
    callerIdNumber: data.callerIdNumber,
    callerIdName: data.callerIdName,
    variables: data.variables,
    signal: session.signal,
    hangupCause() {
      return session.hangupCause ?? null;
    },

    async execute(app, arg, o): Promise<ExecResult> {
      try {
        const res = await session.execute(app, arg, { timeoutMs: o?.timeoutMs ?? opts.executeTimeoutMs });
        if (res.kind === 'hangup') return { completed: false, response: undefined, variables: {} };
        return { completed: true, response: res.response, variables: variablesOf(res.event) };
      } catch (err) {
        if (session.signal.aborted) throw new ChannelGoneError(`channel gone during ${app}`);
        throw err;
      }
    },

    async subscribe(events) {
      await session.subscribe(events.split(/\s+/), cmd);
    },

    onEvent(listener: (e: ChannelEvent) => void) {
      return session.onEvent((e) => listener({ name: e.name, subclass: e.subclass, headers: e.headers }));
    },

    async hangup(cause) {
      if (session.signal.aborted) return;
      await session.hangup(cause, cmd);
      // Wait (bounded) for CHANNEL_HANGUP so the call log gets the real cause.
      if (session.hungUp) return;
      await session.waitForEvent((e) => e.name === 'CHANNEL_HANGUP', { timeoutMs: opts.commandTimeoutMs }).catch(() => undefined);
    },

    async startUnicast(u) {
      await session.unicast({ ...u, transport: 'udp' }, cmd);
    },

    release() {
      return session.exit();
    },
  };
}

/** Channel variables of an EXECUTE_COMPLETE, read on demand (nothing copied). */
function variablesOf(event: EslEvent): Readonly<Record<string, string>> {
  return prefixedView(event.headers, 'variable_');
}
