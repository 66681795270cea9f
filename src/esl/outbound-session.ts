/**
 * One call on the outbound socket: a plain object around an `EslConnection` bound to the channel.
 * Its `signal` aborts when the channel hangs up or the socket closes, so every wait in call code can
 * stop at once. Subscribe only to what is needed (`event plain` of a few types with a `Unique-ID` filter:
 * docs/esl.md, fact 13), plus CUSTOM subclasses when asked.
 */
import type { Logger } from '../runtime/logger.ts';
import type { ChannelData } from './channel-data.ts';
import type { CommandOptions, EslConnection, ExecuteOptions } from './connection.ts';
import type { ExecuteResult } from './pending.ts';
import type { EslEvent } from './event.ts';
import type { EslHeaders } from './headers.ts';
import type { DisconnectNoticeFrame } from './parser.ts';
import { EslAbortError, EslTimeoutError, type ApiResult, type EslReply } from './replies.ts';
import { CallSignal, type CancelSignal } from './call-signal.ts';

/** The reason on `session.signal` when the channel hung up. */
export class EslHangupError extends Error {
  override readonly name = 'EslHangupError' as const;
  constructor(readonly hangupCause: string | undefined) {
    super(`channel hung up (${hangupCause ?? 'unknown cause'})`);
  }
}

/** The reason on `session.signal` when the socket closed before a hangup was seen. */
export class EslSocketClosedError extends Error {
  override readonly name = 'EslSocketClosedError' as const;
}

export interface UnicastOptions {
  readonly localIp: string;
  readonly localPort: number;
  readonly remoteIp: string;
  readonly remotePort: number;
  readonly transport?: 'udp' | 'tcp';
  /** `flags: native`: raw codec frames instead of L16. */
  readonly native?: boolean;
}

export interface OutboundSessionOptions {
  readonly conn: EslConnection;
  readonly channel: ChannelData;
  readonly logger: Logger;
  readonly exitTimeoutMs?: number;
  /** `performance.now()` when the server accepted the socket (default: when the session is made). */
  readonly acceptedAt?: number;
}

/**
 * The linger notice says the channel is down. Its CHANNEL_HANGUP usually follows within one 20 ms poll of
 * the socket (it comes through FreeSWITCH's event thread, the notice from the socket's own loop); past
 * this, the hangup fired before the socket subscribed to it, and the channel itself is asked.
 */
const LATE_HANGUP_MS = 1_000;

export class OutboundSession {
  readonly uuid: string;
  readonly channel: ChannelData;
  readonly conn: EslConnection;
  readonly logger: Logger;
  /** `performance.now()` when FreeSWITCH's connection was accepted: where a call's setup time starts. */
  readonly acceptedAt: number;
  readonly #gone: CallSignal;
  readonly #exitTimeoutMs: number;
  #hangup: EslEvent | undefined;
  #notice: DisconnectNoticeFrame | undefined;
  #lateTimer: NodeJS.Timeout | undefined;
  readonly #unsubscribe: Array<() => void> = [];

  constructor(options: OutboundSessionOptions) {
    this.conn = options.conn;
    this.channel = options.channel;
    this.uuid = options.channel.uuid;
    this.logger = options.logger;
    this.acceptedAt = options.acceptedAt ?? performance.now();
    this.#gone = new CallSignal((err) => this.logger.error({ err }, 'a listener of the call signal failed'));
    this.#exitTimeoutMs = options.exitTimeoutMs ?? 2_000;
    this.conn.bindChannel(this.uuid);
    this.#unsubscribe.push(
      this.conn.on('event', (event) => this.#handleEvent(event)),
      this.conn.on('disconnect-notice', (frame) => {
        this.#notice = frame;
        if (frame.disposition === 'linger') this.#awaitHangup();
      }),
    );
    // `closed` never rejects (see EslConnection.closed); the callback only unsubscribes and aborts.
    void this.conn.closed.then(() => {
      clearTimeout(this.#lateTimer);
      for (const off of this.#unsubscribe.splice(0)) off();
      if (!this.#gone.aborted) this.#gone.abort(new EslSocketClosedError('esl socket closed'));
    });
    // A hangup, or the linger notice of one, read together with the connect reply came before us.
    const early = this.conn.channelHangup;
    if (early) this.#handleEvent(early);
    const notice = this.conn.lastDisconnectNotice;
    if (notice) {
      this.#notice = notice;
      if (notice.disposition === 'linger') this.#awaitHangup();
    }
  }

  /** Aborts on CHANNEL_HANGUP (reason `EslHangupError`) or socket close (`EslSocketClosedError`). */
  get signal(): CancelSignal {
    return this.#gone;
  }

  get hungUp(): boolean {
    return this.#hangup !== undefined;
  }

  get hangupCause(): string | undefined {
    return this.#hangup?.headers['Hangup-Cause'];
  }

  /** The CHANNEL_HANGUP event, once seen (it carries every channel variable). */
  get hangupEvent(): EslEvent | undefined {
    return this.#hangup;
  }

  /** The last disconnect notice (`linger` after hangup while lingering, `disconnect` before close). */
  get disconnectNotice(): DisconnectNoticeFrame | undefined {
    return this.#notice;
  }

  get closed(): Promise<unknown> {
    return this.conn.closed;
  }

  myevents(options?: CommandOptions): Promise<EslReply> {
    return this.conn.command('myevents', undefined, options);
  }

  /** Keep the socket after hangup to receive the final events; `seconds` omitted = until `exit` (fact 7). */
  linger(seconds?: number, options?: CommandOptions): Promise<EslReply> {
    return this.conn.command(seconds === undefined ? 'linger' : `linger ${Math.floor(seconds)}`, undefined, options);
  }

  nolinger(options?: CommandOptions): Promise<EslReply> {
    return this.conn.command('nolinger', undefined, options);
  }

  /** `event plain <names...>`, e.g. `['CUSTOM', 'callcenter::info']`. */
  subscribe(names: readonly string[], options?: CommandOptions): Promise<EslReply> {
    return this.conn.command(`event plain ${names.join(' ')}`, undefined, options);
  }

  /** `event plain CUSTOM <subclass...>` (myevents does not include CUSTOM, fact 8). */
  subscribeCustom(subclasses: readonly string[], options?: CommandOptions): Promise<EslReply> {
    return this.subscribe(['CUSTOM', ...subclasses], options);
  }

  filter(header: string, value: string, options?: CommandOptions): Promise<EslReply> {
    return this.conn.command(`filter ${header} ${value}`, undefined, options);
  }

  /**
   * On a sync (`static`) socket nothing is read while an app runs (fact 17), so `event-lock` has nothing to
   * hold back: it is sent only on async sockets (unless the caller says otherwise).
   */
  execute(app: string, arg?: string, options?: ExecuteOptions): Promise<ExecuteResult> {
    const eventLock = options?.eventLock ?? this.channel.socketMode === 'async';
    return this.conn.execute(app, arg, { ...options, eventLock });
  }

  /** NORMAL_CLEARING is FreeSWITCH's default cause: not sent (every header byte costs the switch, see execute). */
  hangup(cause = 'NORMAL_CLEARING', options?: CommandOptions): Promise<EslReply> {
    const headers: Array<[string, string]> = [['call-command', 'hangup']];
    if (cause !== 'NORMAL_CLEARING') headers.push(['hangup-cause', cause]);
    return this.conn.sendmsg(undefined, headers, options);
  }

  unicast(u: UnicastOptions, options?: CommandOptions): Promise<EslReply> {
    const headers: Array<[string, string]> = [
      ['call-command', 'unicast'],
      ['local-ip', u.localIp],
      ['local-port', String(u.localPort)],
      ['remote-ip', u.remoteIp],
      ['remote-port', String(u.remotePort)],
      ['transport', u.transport ?? 'udp'],
    ];
    if (u.native) headers.push(['flags', 'native']);
    return this.conn.sendmsg(undefined, headers, options);
  }

  api(command: string, options?: CommandOptions): Promise<ApiResult> {
    return this.conn.api(command, options);
  }

  /** Listen to this channel's events; returns the remover. */
  onEvent(listener: (event: EslEvent) => void): () => void {
    return this.conn.on('event', listener);
  }

  /** Waits for the first event matching `predicate`; rejects on timeout, abort or socket close. */
  waitForEvent(
    predicate: (event: EslEvent) => boolean,
    options: { timeoutMs: number; signal?: CancelSignal },
  ): Promise<EslEvent> {
    return new Promise((resolve, reject) => {
      const finish = (fn: () => void): void => {
        clearTimeout(timer);
        off();
        offClose();
        options.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const off = this.conn.on('event', (event) => {
        if (predicate(event)) finish(() => resolve(event));
      });
      const offClose = this.conn.on('close', (info) => finish(() => reject(new EslSocketClosedError(info.reason))));
      const timer = setTimeout(() => finish(() => reject(new EslTimeoutError('waitForEvent', options.timeoutMs))), options.timeoutMs);
      const onAbort = (): void => finish(() => reject(new EslAbortError('waitForEvent')));
      if (this.conn.isClosed) finish(() => reject(new EslSocketClosedError('esl socket closed')));
      else if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * `exit`: FreeSWITCH answers `+OK bye`, sends a `disconnect` notice and closes (fact 7). If that does
   * not happen within the timeout the socket is destroyed. Safe to call on a closed session.
   */
  async exit(timeoutMs = this.#exitTimeoutMs): Promise<void> {
    if (this.conn.isClosed) return;
    try {
      await this.conn.command('exit', undefined, { timeoutMs });
    } catch (error) {
      this.logger.debug({ err: error }, 'exit not acknowledged');
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.conn.closed.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.logger.warn('socket still open after exit; destroying');
      this.conn.destroy();
      await this.conn.closed;
    }
  }

  /**
   * The socket subscribes to events only after its `Unique-ID` filter (docs/esl.md, fact 13), so a caller
   * who hangs up in that first round trip leaves no CHANNEL_HANGUP here: only the linger notice. Then the
   * channel's data stands in for the event and settles the waits the event would have settled: a second
   * `connect`, which mod_event_socket answers from the socket's own session (every variable, and
   * `Hangup-Cause` once the channel is down). Not `uuid_dump`/`uuid_getvar`: they locate the session,
   * which fails once it hung up (`-ERR No such channel!`, real switch); and the `hangup_cause` variable is
   * set only when the channel's thread, held by this socket, reaches its hangup state.
   */
  #awaitHangup(): void {
    if (this.#hangup || this.#lateTimer) return;
    this.#lateTimer = setTimeout(() => void this.#hangupFromChannelData(), LATE_HANGUP_MS);
    this.#lateTimer.unref();
  }

  /**
   * The channel is known to be down (a `uuid_answer` refused, a linger notice): if its CHANNEL_HANGUP has not
   * come, read the hangup from the channel now (bounded by the exit timeout; never throws).
   */
  readHangup(): Promise<void> {
    clearTimeout(this.#lateTimer);
    this.#lateTimer = undefined;
    return this.#hangupFromChannelData();
  }

  async #hangupFromChannelData(): Promise<void> {
    if (this.#hangup || this.conn.isClosed) return;
    let data: EslHeaders | undefined;
    try {
      data = (await this.conn.command('connect', undefined, { timeoutMs: this.#exitTimeoutMs })).headers;
    } catch (err) {
      this.logger.debug({ err }, 'reading the channel data after its hangup failed');
    }
    if (this.#hangup || this.conn.isClosed) return;
    const headers: Record<string, string> = { ...data, 'Event-Name': 'CHANNEL_HANGUP', 'Unique-ID': this.uuid };
    this.logger.debug({ cause: headers['Hangup-Cause'] }, 'no CHANNEL_HANGUP before the linger notice; the channel data stands in');
    this.conn.deliver({ name: 'CHANNEL_HANGUP', subclass: undefined, uniqueId: this.uuid, headers, headerText: '', body: undefined });
  }

  #handleEvent(event: EslEvent): void {
    if (event.name === 'CHANNEL_HANGUP' && event.uniqueId === this.uuid && !this.#hangup) {
      this.#hangup = event;
      this.#gone.abort(new EslHangupError(this.hangupCause));
    }
  }
}
