import type { OutboundSession } from '../esl/outbound-session.ts';
import type { EslEvent } from '../esl/event.ts';
import { prefixedView } from '../esl/headers.ts';
import { ChannelGoneError, type CallChannel, type ChannelEvent, type ExecResult } from './channel.ts';

/**
 * Events every call needs. Every other channel event (~6 KB each) stays in FreeSWITCH. Digits reach
 * the IVR through `play_and_get_digits` itself, so DTMF events are asked for only by the parts that
 * forward keys as they are pressed (the AI bridge subscribes to them when its stream starts).
 */
export const CALL_EVENTS = ['CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP'] as const;

/** FreeSWITCH closes the socket by itself this long after hangup if we never say `exit`. */
const LINGER_S = 30;

/**
 * A call's setup, sent in the same write as `connect` (createOutboundServer's `afterConnect`): linger, and
 * the two event types a call needs. Not `myevents`: it subscribes the socket to ~25 channel event types,
 * and FreeSWITCH's event_handler runs, under one global lock, for every event of every call, for every
 * socket, the filter checks of each socket the event type is subscribed on (two header lookups per
 * socket with Event-Name filters) — O(calls²) work in the switch, whose CPU is the bottleneck. With
 * `event plain` of two types, the other types stop at an array lookup; `filter Unique-ID <uuid>` (sent
 * with the first commands, once the connect reply gave the uuid: openEslChannel) keeps only this
 * channel's events. Events of other channels that slip through before it are ignored (executes and the
 * hangup are matched by Application-UUID and Unique-ID).
 */
export const CALL_SETUP_COMMANDS: readonly string[] = [`linger ${LINGER_S}`, `event plain ${CALL_EVENTS.join(' ')}`];

export interface EslChannelOptions {
  commandTimeoutMs: number;
  /** default timeout of an app when the caller gives none */
  executeTimeoutMs: number;
}

/**
 * An outbound session prepared with CALL_SETUP_COMMANDS, exposed as a CallChannel.
 */
export function openEslChannel(session: OutboundSession, opts: EslChannelOptions): CallChannel {
  const cmd = { timeoutMs: opts.commandTimeoutMs, signal: session.signal };
  const data = session.channel;
  // Only this channel's events from here on; it leaves in the same write as the call's first commands.
  session.filter('Unique-ID', session.uuid, cmd).catch((err: unknown) => {
    if (!session.signal.aborted) session.logger.warn({ err }, 'Unique-ID filter refused; events of other calls reach this socket');
  });

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
      // The app's own completion may follow the hangup (afterHangupMs); listen from the start so one that
      // arrives in the same read as the hangup is not missed.
      const isOwn = (e: EslEvent) => e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.headers['Application'] === app && (e.headers['Application-Data'] ?? '') === (arg ?? '');
      let late: EslEvent | undefined;
      const off = o?.afterHangupMs ? session.onEvent((e) => (late ??= isOwn(e) ? e : undefined)) : undefined;
      try {
        const res = await session.execute(app, arg, { timeoutMs: o?.timeoutMs ?? opts.executeTimeoutMs });
        if (res.kind === 'hangup') {
          if (o?.afterHangupMs && !late) late = await session.waitForEvent(isOwn, { timeoutMs: o.afterHangupMs }).catch(() => undefined);
          const h = late ?? session.hangupEvent;
          return { completed: false, response: undefined, variables: h ? variablesOf(h) : {}, headers: h?.headers ?? {} };
        }
        return { completed: true, response: res.response, variables: variablesOf(res.event), headers: res.event.headers };
      } catch (err) {
        if (session.signal.aborted) throw new ChannelGoneError(`channel gone during ${app}`);
        throw err;
      } finally {
        off?.();
      }
    },

    async waitForHangup(timeoutMs) {
      if (session.signal.aborted) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          session.signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        session.signal.addEventListener('abort', done, { once: true });
      });
    },

    async subscribe(events) {
      // e.g. 'DTMF' or 'CHANNEL_BRIDGE': the Unique-ID filter already keeps them to this channel (an
      // Event-Name filter would let every call's events of that name through: filters are OR'ed).
      await session.subscribe(events.split(/\s+/).filter(Boolean), cmd);
    },

    onEvent(listener: (e: ChannelEvent) => void) {
      return session.onEvent((e) => listener({ name: e.name, subclass: e.subclass, headers: e.headers }));
    },

    async answer() {
      if (session.signal.aborted) return false;
      try {
        await session.api(`uuid_answer ${session.uuid}`, cmd);
        return true;
      } catch (err) {
        // `-ERR …`: the channel is gone (or going); anything else is a real failure.
        if (session.signal.aborted || (err as Error).name === 'EslCommandError') return false;
        throw err;
      }
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
