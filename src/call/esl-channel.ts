import type { OutboundSession } from '../esl/outbound-session.ts';
import type { Handoff, SocketHandoffs } from '../esl/handoffs.ts';
import { CallSignal } from '../esl/call-signal.ts';
import type { EslEvent } from '../esl/event.ts';
import { prefixedView } from '../esl/headers.ts';
import { ChannelGoneError, type CallChannel, type ChannelEvent, type ExecResult } from './channel.ts';

/**
 * Events a call on an async socket needs (a sync socket needs none: docs/esl.md, fact 22). Every other
 * channel event (~6 KB each) stays in FreeSWITCH. Digits reach the IVR through `play_and_get_digits`
 * itself, so DTMF events are asked for only by the parts that forward keys as they are pressed (the AI
 * bridge subscribes to them when its stream starts).
 */
export const CALL_EVENTS = ['CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP'] as const;

/** FreeSWITCH closes the socket by itself this long after hangup if we never say `exit`. */
const LINGER_S = 30;

/**
 * A call's setup, sent in the same write as `connect` (createOutboundServer's `afterConnect`): linger only.
 * The call's first (sync) socket asks for no events at all (docs/esl.md, fact 22). An async socket asks
 * for CALL_EVENTS once the connect reply gave the uuid, right after the `filter Unique-ID <uuid>` and in
 * the same write as its first commands (openEslChannel), never before: FreeSWITCH's event_handler hands
 * every event of every call to each socket subscribed to its type and without a filter, so a socket
 * subscribed before its filter gets every other call's EXECUTE_COMPLETE and HANGUP (~6 KB each,
 * serialized by the switch) for that whole round trip (fact 13). Not `myevents` either: it subscribes
 * ~25 channel event types. A caller who hangs up before the subscription leaves only the linger notice:
 * OutboundSession reads the hangup from the channel then.
 */
export const CALL_SETUP_COMMANDS: readonly string[] = [`linger ${LINGER_S}`];

export interface EslChannelOptions {
  commandTimeoutMs: number;
  /** default timeout of an app when the caller gives none */
  executeTimeoutMs: number;
  /**
   * The server's own hand-offs: with them, a call on a sync socket can move to an async one (goAsync).
   * Without them (tests of one socket) goAsync answers false.
   */
  handoffs?: SocketHandoffs;
  /**
   * Where FreeSWITCH reaches this server for a call's second socket (`host:port`). Default: the
   * address the call's first socket reached (its local end), so the second lands on this same process.
   */
  selfEndpoint?: string;
  /** The switch that handed over the call (the server tells it from the connect headers). */
  switchId?: string | null;
}

/** The async socket lasts as long as the rest of the call (talk after a queue included). */
const ASYNC_SOCKET_APP_MS = 24 * 3600 * 1000;

/**
 * An outbound session prepared with CALL_SETUP_COMMANDS, exposed as a CallChannel. The call may move
 * to a second, async socket (goAsync); every method then runs on that one.
 */
export function openEslChannel(first: OutboundSession, opts: EslChannelOptions): CallChannel {
  const cmd = (s: OutboundSession) => ({ timeoutMs: opts.commandTimeoutMs, signal: s.signal });
  const data = first.channel;
  /** The socket the call runs on now. */
  let session = first;
  /** The hand-off of the async socket, once moved. */
  let handoff: Handoff | undefined;
  /** The first socket's `socket` app while the call is on the async one. */
  let socketApp: Promise<unknown> | undefined;
  /** We are ending the async socket ourselves (leaveAsync, release): its park's end is ours, not a bridge. */
  let endingAsync = false;
  const gone = new CallSignal((err) => first.logger.error({ err }, 'a listener of the call signal failed'));
  const listeners = new Set<(e: ChannelEvent) => void>();
  /** Sockets whose `Unique-ID` filter was sent: every subscription comes after it. */
  const filtered = new WeakSet<OutboundSession>();
  const filter = (s: OutboundSession): void => {
    if (filtered.has(s)) return;
    filtered.add(s);
    s.filter('Unique-ID', s.uuid, cmd(s)).catch((err: unknown) => {
      if (!s.signal.aborted) s.logger.warn({ err }, 'Unique-ID filter refused; events of other calls reach this socket');
    });
  };
  const follow = (s: OutboundSession): void => {
    // An async socket: only this channel's events, then the subscription; both leave in the same write as
    // the socket's first commands. A sync socket asks for none (fact 22) unless a part of the call does.
    if (!s.sync) {
      filter(s);
      s.subscribe(CALL_EVENTS, cmd(s)).catch((err: unknown) => {
        if (!s.signal.aborted) s.logger.warn({ err }, 'event subscription refused; the call sees no completions');
      });
    }
    // A hangup seen on any of the call's sockets ends the call; a socket closing only when it is current.
    s.signal.addEventListener('abort', () => {
      if (s === session || s.hungUp) gone.abort(s.signal.reason);
    });
    s.onEvent((e) => {
      if (s !== session) return;
      for (const l of listeners) l({ name: e.name, subclass: e.subclass, headers: e.headers });
    });
  };
  follow(first);

  return {
    uuid: first.uuid,
    switchId: opts.switchId ?? null,
    destinationNumber: data.destinationNumber,
    callerIdNumber: data.callerIdNumber,
    callerIdName: data.callerIdName,
    variables: data.variables,
    signal: gone,
    arrivedAt: first.acceptedAt,
    onNextCommand(listener) {
      session.conn.onNextWrite(listener);
    },
    hangupCause() {
      return session.hangupCause ?? first.hangupCause ?? null;
    },
    get ordered() {
      return session.sync;
    },

    async execute(app, arg, o): Promise<ExecResult> {
      const s = session;
      // On an async socket the app's own completion may follow the hangup (afterHangupMs); listen from the
      // start so one that arrives in the same read as the hangup is not missed. A sync socket's result
      // already comes after the app's end.
      const isOwn = (e: EslEvent) => e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.headers['Application'] === app && (e.headers['Application-Data'] ?? '') === (arg ?? '');
      let late: EslEvent | undefined;
      const afterHangupMs = s.sync ? undefined : o?.afterHangupMs;
      const off = afterHangupMs ? s.onEvent((e) => (late ??= isOwn(e) ? e : undefined)) : undefined;
      try {
        const res = await s.execute(app, arg, { timeoutMs: o?.timeoutMs ?? opts.executeTimeoutMs, vars: o?.vars });
        if (res.kind === 'hangup') {
          if (afterHangupMs && !late) late = await s.waitForEvent(isOwn, { timeoutMs: afterHangupMs }).catch(() => undefined);
          const h = late ?? s.hangupEvent;
          return { completed: false, response: undefined, variables: h ? variablesOf(h) : {}, headers: h?.headers ?? {} };
        }
        return { completed: true, response: res.response, variables: variablesOf(res.event), headers: res.event.headers };
      } catch (err) {
        if (gone.aborted) throw new ChannelGoneError(`channel gone during ${app}`);
        throw err;
      } finally {
        off?.();
      }
    },

    async waitForHangup(timeoutMs) {
      if (gone.aborted) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          gone.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        gone.addEventListener('abort', done, { once: true });
      });
    },

    async subscribe(events) {
      // e.g. 'DTMF' or 'CHANNEL_BRIDGE': the Unique-ID filter keeps them to this channel (an Event-Name
      // filter would let every call's events of that name through: filters are OR'ed).
      filter(session);
      await session.subscribe(events.split(/\s+/).filter(Boolean), cmd(session));
    },

    onEvent(listener: (e: ChannelEvent) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },

    async answer() {
      if (gone.aborted) return false;
      try {
        await session.api(`uuid_answer ${session.uuid}`, cmd(session));
        return true;
      } catch (err) {
        if (gone.aborted) return false;
        // `-ERR …`: the channel is gone (or going), maybe before this socket subscribed to its hangup;
        // anything else is a real failure.
        if ((err as Error).name !== 'EslCommandError') throw err;
        await session.readHangup();
        return false;
      }
    },

    async hangup(cause) {
      if (gone.aborted) return;
      const s = session;
      // A sync socket's hangup resolves once the channel data gave the real cause.
      await s.hangup(cause, cmd(s));
      // Wait (bounded) for CHANNEL_HANGUP so the call log gets the real cause.
      if (s.hungUp) return;
      await s.waitForEvent((e) => e.name === 'CHANNEL_HANGUP', { timeoutMs: opts.commandTimeoutMs }).catch(() => undefined);
    },

    async startUnicast(u) {
      await session.unicast({ ...u, transport: 'udp' }, cmd(session));
    },

    async goAsync() {
      if (session.channel.socketMode === 'async') return true;
      const self = opts.selfEndpoint ?? first.conn.localEndpoint;
      if (!opts.handoffs || !self || gone.aborted) return false;
      const outer = session;
      const h = opts.handoffs.expect(outer.uuid, opts.commandTimeoutMs);
      // Runs until the async socket's park ends: the call hung up, or we released that socket, or
      // FreeSWITCH took the channel elsewhere (mod_callcenter's uuid_bridge when an agent answers).
      // Without event-lock: FreeSWITCH holds a channel's queued commands while CF_EVENT_LOCK is set, and
      // it would stay set for as long as this app runs, so the async socket's commands would never run.
      const app = outer.execute('socket', `${self} async full`, { timeoutMs: ASYNC_SOCKET_APP_MS, eventLock: false });
      const got = await Promise.race([
        h.session.then((s) => ({ s }), (err: unknown) => ({ err })),
        app.then((res) => ({ res }), (err: unknown) => ({ err })),
      ]);
      if (!('s' in got)) {
        h.cancel();
        if (!gone.aborted) outer.logger.warn({ err: 'err' in got ? got.err : undefined }, 'the async socket did not come; the call stays on its sync socket');
        return false;
      }
      handoff = h;
      session = got.s;
      socketApp = app;
      follow(got.s);
      void app.then(
        (res) => {
          // Back in the sync socket with the call still up, and not because we left the async one:
          // FreeSWITCH moved the channel (a bridge made by mod_callcenter). The sync socket holds the
          // channel's thread: let it go so the bridge can run.
          if (res.kind !== 'hangup' && !gone.aborted && !endingAsync) void outer.exit();
        },
        () => undefined,
      );
      return true;
    },

    async leaveAsync() {
      if (!handoff || gone.aborted) return;
      const inner = session;
      const h = handoff;
      const app = socketApp;
      endingAsync = true;
      handoff = undefined;
      socketApp = undefined;
      session = first;
      try {
        // Ending the async socket ends its park: the first socket's `socket` app completes, and the
        // call goes on there (a unicast started on the async socket ends with its park).
        h.release();
        await inner.closed;
        await app?.catch(() => undefined);
      } finally {
        endingAsync = false;
      }
    },

    async release() {
      endingAsync = true;
      if (handoff) {
        const inner = session;
        handoff.release();
        await inner.closed;
      }
      await first.exit();
    },
  };
}

/** Channel variables of an EXECUTE_COMPLETE, read on demand (nothing copied). */
function variablesOf(event: EslEvent): Readonly<Record<string, string>> {
  return prefixedView(event.headers, 'variable_');
}
