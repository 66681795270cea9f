/**
 * One call on the outbound socket: a plain object around an `EslConnection` bound to the channel.
 * Its `signal` aborts when the channel hangs up or the socket closes, so every wait in call code can
 * stop at once. On a sync (`static`) socket nothing needs events: an app's reply is its end, `getvar`
 * reads what it left, the linger notice says the channel is down and a second `connect` says why
 * (docs/esl.md, fact 22). An async socket subscribes only to what it needs (`event plain` of a few types
 * after a `Unique-ID` filter: fact 13), plus CUSTOM subclasses when asked.
 */
import type { Logger } from '../runtime/logger.ts';
import type { ChannelData } from './channel-data.ts';
import type { CommandOptions, EslConnection, ExecuteOptions } from './connection.ts';
import type { ExecuteResult } from './pending.ts';
import type { EslEvent } from './event.ts';
import type { EslHeaders } from './headers.ts';
import type { DisconnectNoticeFrame } from './parser.ts';
import { EslAbortError, EslClosedError, EslTimeoutError, type ApiResult, type EslReply } from './replies.ts';
import { CallSignal, type CancelSignal } from './call-signal.ts';

/** The reason on `session.signal` when the channel hung up. */
export class EslHangupError extends Error {
  override readonly name = 'EslHangupError' as const;
  constructor(readonly hangupCause: string | undefined) {
    super(`channel hung up (${hangupCause ?? 'unknown cause'})`);
  }

  /**
   * Every call ends with one, and a hangup is not a fault: made without a stack trace (V8's capture
   * showed in the controller's CPU profile, ~0.2 ms a call).
   */
  static withoutStack(hangupCause: string | undefined): EslHangupError {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return new EslHangupError(hangupCause);
    } finally {
      Error.stackTraceLimit = limit;
    }
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

export interface SessionExecuteOptions extends ExecuteOptions {
  /**
   * The channel variables the caller reads from the result. On a sync socket only these are read back
   * (`getvar` each, in the same write as the app); an async socket's EXECUTE_COMPLETE carries them all.
   */
  readonly vars?: readonly string[];
}

/**
 * What a sync socket reads after an app that asked for no variable: a name nobody sets. Its reply (empty:
 * `-ERR command not found`) only says the app is done and, coming after the linger notice when the channel went down meanwhile,
 * whether it is still up. The shortest such command: every byte we send costs the switch (fact 21).
 */
const FENCE_VAR = '_';

/** Default timeout of an app on a sync socket (its reply), as EslConnection's for an execute. */
const EXECUTE_TIMEOUT_MS = 600_000;

/** How long the variables read after an app may take beyond the app's own timeout. */
const GETVAR_AFTER_APP_MS = 5_000;

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
  /** repliesRead when the linger notice came: with a reply's ordinal, which of the two came first. */
  #lingerAt: number | undefined;
  /** The ordinal of our own hangup's reply while it is awaited (sync socket). */
  #ownHangup: number | undefined;
  /** The channel data being read for a hangup (readHangup), so two readers send one `connect`. */
  #reading: Promise<void> | undefined;
  /** Event names this socket asked for (`ALL` after myevents): a CHANNEL_HANGUP may come only then. */
  readonly #events = new Set<string>();
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
      this.conn.on('disconnect-notice', (frame) => this.#onNotice(frame)),
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
    if (notice) this.#onNotice(notice);
  }

  #onNotice(frame: DisconnectNoticeFrame): void {
    this.#notice = frame;
    if (frame.disposition !== 'linger') return;
    this.#lingerAt ??= this.conn.repliesRead;
    // Our own hangup is in flight: hangup() tells from the order whose hangup it was.
    if (this.#ownHangup === undefined) this.#awaitHangup();
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
    this.#events.add('ALL');
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
    for (const n of names) this.#events.add(n);
    return this.conn.command(`event plain ${names.join(' ')}`, undefined, options);
  }

  /** `event plain CUSTOM <subclass...>` (myevents does not include CUSTOM, fact 8). */
  subscribeCustom(subclasses: readonly string[], options?: CommandOptions): Promise<EslReply> {
    return this.subscribe(['CUSTOM', ...subclasses], options);
  }

  filter(header: string, value: string, options?: CommandOptions): Promise<EslReply> {
    return this.conn.command(`filter ${header} ${value}`, undefined, options);
  }

  /** A sync (`static`) socket: FreeSWITCH runs each command in the channel's thread, one at a time. */
  get sync(): boolean {
    return this.channel.socketMode === 'static';
  }

  /**
   * Runs an app. On an async socket: `sendmsg` with `event-lock`, done at its CHANNEL_EXECUTE_COMPLETE
   * (fact 4). On a sync socket (fact 22): the reply is the end of the app, and `getvar` of each of
   * `vars`, in the same write, reads what it left; when the linger notice came first, the channel is
   * down and the result is the hangup, read from the channel data (every variable, its cause).
   */
  execute(app: string, arg?: string, options?: SessionExecuteOptions): Promise<ExecuteResult> {
    if (this.sync) return this.#executeSync(app, arg, options);
    const eventLock = options?.eventLock ?? true;
    return this.conn.execute(app, arg, { ...options, eventLock });
  }

  async #executeSync(app: string, arg: string | undefined, options: SessionExecuteOptions = {}): Promise<ExecuteResult> {
    const known = this.#hangup;
    if (known) return { kind: 'hangup', cause: this.hangupCause, event: known };
    const timeoutMs = options.timeoutMs ?? EXECUTE_TIMEOUT_MS;
    const { signal } = options;
    const names = options.vars?.length ? options.vars : [FENCE_VAR];
    // The last getvar's reply: a linger notice before it means the channel went down during the app.
    const lastReply = this.conn.nextReplyOrdinal + names.length;
    const ran = this.conn.runApp(app, arg, { timeoutMs, signal });
    const reads = names.map((n) => this.conn.getvar(n, { timeoutMs: timeoutMs + GETVAR_AFTER_APP_MS, signal }));
    let values: string[];
    try {
      await ran;
      values = await Promise.all(reads);
    } catch (err) {
      for (const r of reads) r.catch(() => undefined);
      const down = await this.#endedByHangup(app, Number.POSITIVE_INFINITY).catch(() => undefined);
      if (down) return down;
      throw err;
    }
    const down = await this.#endedByHangup(app, lastReply);
    if (down) return down;
    const headers: Record<string, string> = { Application: app, 'Application-Data': arg ?? '' };
    if (options.vars?.length) names.forEach((n, i) => (headers[`variable_${n}`] = values[i]!));
    return { kind: 'complete', event: this.#ownEvent('CHANNEL_EXECUTE_COMPLETE', headers), response: undefined };
  }

  /**
   * After an app on a sync socket: the hangup, when the channel is known to be down or the linger notice
   * came before the reply numbered `before` (its last getvar; read from the channel data); undefined when
   * it is still up. A notice after that reply belongs to what followed (our own hangup, sent in the same
   * write as a last prompt).
   */
  async #endedByHangup(app: string, before: number): Promise<ExecuteResult | undefined> {
    if (!this.#hangup && this.#lingerAt !== undefined && this.#lingerAt < before) {
      await this.readHangup();
      if (!this.#hangup && this.conn.isClosed) throw new EslClosedError(`execute ${app}`, 'socket closed after the hangup');
    }
    const h = this.#hangup;
    return h ? { kind: 'hangup', cause: this.hangupCause, event: h } : undefined;
  }

  /** An event of this channel built here, not received (a sync socket's app end, a hangup read from the channel). */
  #ownEvent(name: string, headers: Record<string, string>): EslEvent {
    return { name, subclass: undefined, uniqueId: this.uuid, headers: { ...headers, 'Event-Name': name, 'Unique-ID': this.uuid }, headerText: '', body: undefined };
  }

  /**
   * NORMAL_CLEARING is FreeSWITCH's default cause: not sent (every header byte costs the switch, see execute).
   * On a sync socket no CHANNEL_HANGUP comes, and the order of two frames says whose hangup it was
   * (docs/esl.md, fact 23): the socket's loop sends the linger notice as soon as it sees the channel down, so
   * a notice before our reply means the caller was first, and only then is the channel asked for its cause
   * (a second `connect`, ~7 KB the switch serializes). Otherwise the hangup is ours, with our cause. It
   * resolves once the hangup is known.
   */
  async hangup(cause = 'NORMAL_CLEARING', options?: CommandOptions): Promise<EslReply> {
    const headers: Array<[string, string]> = [['call-command', 'hangup']];
    if (cause !== 'NORMAL_CLEARING') headers.push(['hangup-cause', cause]);
    if (this.#hearsHangup() || this.#hangup) return this.conn.sendmsg(undefined, headers, options);
    const ordinal = this.conn.nextReplyOrdinal;
    this.#ownHangup = ordinal;
    let reply: EslReply;
    try {
      reply = await this.conn.sendmsg(undefined, headers, options);
    } catch (err) {
      this.#ownHangup = undefined;
      await this.readHangup();
      throw err;
    }
    this.#ownHangup = undefined;
    if (this.#hangup) return reply;
    if (this.#lingerAt !== undefined && this.#lingerAt < ordinal) await this.readHangup();
    else this.conn.deliver(this.#ownEvent('CHANNEL_HANGUP', { 'Hangup-Cause': cause, 'Answer-State': 'hangup' }));
    return reply;
  }

  /** A CHANNEL_HANGUP may reach this socket: it asked for that event (sync sockets ask for none). */
  #hearsHangup(): boolean {
    return this.#events.has('CHANNEL_HANGUP') || this.#events.has('ALL');
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
   * The linger notice says the channel is down, and no CHANNEL_HANGUP may come: a sync socket asks for no
   * events, and an async one subscribes only after its `Unique-ID` filter (docs/esl.md, fact 13), so a
   * caller who hangs up in that first round trip leaves only the notice. Then the channel's data stands
   * in for the event and settles the waits the event would have settled: a second `connect`, which
   * mod_event_socket answers from the socket's own session (every variable, and `Hangup-Cause` once the
   * channel is down). Not `uuid_dump`/`uuid_getvar`: they locate the session, which fails once it hung up
   * (`-ERR No such channel!`, real switch); and the `hangup_cause` variable is set only when the channel's
   * thread, held by this socket, reaches its hangup state. A socket subscribed to CHANNEL_HANGUP waits a
   * little for it first.
   */
  #awaitHangup(): void {
    if (this.#hangup || this.#lateTimer) return;
    if (!this.#hearsHangup()) {
      void this.readHangup();
      return;
    }
    this.#lateTimer = setTimeout(() => void this.readHangup(), LATE_HANGUP_MS);
    this.#lateTimer.unref();
  }

  /**
   * The channel is known to be down (a `uuid_answer` refused, a linger notice, our own hangup on a sync
   * socket): if its CHANNEL_HANGUP has not come, read the hangup from the channel now (bounded by the exit
   * timeout; never throws). Concurrent callers share one read.
   */
  readHangup(): Promise<void> {
    clearTimeout(this.#lateTimer);
    this.#lateTimer = undefined;
    if (this.#hangup) return Promise.resolve();
    this.#reading ??= this.#hangupFromChannelData().finally(() => {
      if (!this.#hangup) this.#reading = undefined;
    });
    return this.#reading;
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
    // Only a channel that is down: `Answer-State: hangup` (switch_channel_down) or a cause set.
    if (data && data['Answer-State'] !== 'hangup' && data['Hangup-Cause'] === undefined) {
      this.logger.debug('the channel data says the channel is still up');
      return;
    }
    this.logger.debug({ cause: data?.['Hangup-Cause'] }, 'no CHANNEL_HANGUP before the linger notice; the channel data stands in');
    this.conn.deliver(this.#ownEvent('CHANNEL_HANGUP', { ...data }));
  }

  #handleEvent(event: EslEvent): void {
    if (event.name === 'CHANNEL_HANGUP' && event.uniqueId === this.uuid && !this.#hangup) {
      this.#hangup = event;
      this.#gone.abort(EslHangupError.withoutStack(this.hangupCause));
    }
  }
}
