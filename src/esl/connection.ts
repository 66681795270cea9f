/**
 * One ESL socket: framing, FIFO reply correlation, timeouts, back-pressured writes, execute correlation
 * by Application-UUID, and event fan-out. Used by both the outbound session and the inbound client.
 *
 * Rules: every wait has a timeout and honours an AbortSignal; everything pending is rejected with a typed
 * error when the socket closes; nothing thrown from a socket handler escapes (bad input is logged and
 * only this connection is destroyed); listeners are held in Sets and removed by reference.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Logger } from '../runtime/logger.ts';
import type { EslEvent } from './event.ts';
import { EslParser, type DisconnectNoticeFrame, type EslFrame, type ParserLimits } from './parser.ts';
import {
  EslAbortError,
  EslClosedError,
  EslUnexpectedReplyError,
  parseApiResponse,
  parseCommandReply,
  parseGetvarReply,
  type ApiResult,
  type EslReply,
} from './replies.ts';
import { ListenerSet, type FrameListeners } from './listeners.ts';
import { executeMessage, formatCommandText, type CommandHeaders } from './wire.ts';
import { PendingExecute, PendingReply, WaitClock, commandLabel, type ExecuteOutcome, type ExecuteResult, type ReplyExpect } from './pending.ts';
import type { CancelSignal } from './call-signal.ts';
import type { HeaderBlockCache } from './headers.ts';

export interface EslConnectionOptions {
  readonly logger: Logger;
  /** Default timeout for a command's reply (default 5 s). */
  readonly commandTimeoutMs?: number;
  /** Default timeout for an execute's EXECUTE_COMPLETE (default 10 min). */
  readonly executeTimeoutMs?: number;
  readonly limits?: ParserLimits;
  /** Shared with the server's other connections (see HeaderBlockCache). */
  readonly headerBlocks?: HeaderBlockCache;
}

export interface CommandOptions {
  readonly timeoutMs?: number;
  readonly signal?: CancelSignal;
}

export interface ExecuteOptions extends CommandOptions {
  /** Target channel (`sendmsg <uuid>`); outbound sessions leave it unset (their own channel). */
  readonly uuid?: string;
  /** Default true: queue the app behind the one running (`event-lock: true`). */
  readonly eventLock?: boolean;
}

export interface CloseInfo {
  readonly reason: string;
  readonly error: Error | undefined;
}

export class EslConnection {
  readonly #socket: Socket;
  readonly #log: Logger;
  readonly #parser: EslParser;
  readonly #commandTimeoutMs: number;
  readonly #executeTimeoutMs: number;
  readonly #replies: PendingReply[] = [];
  #repliesRead = 0;
  readonly #executes = new Map<string, PendingExecute>();
  readonly #clock: WaitClock;
  readonly #listeners = new ListenerSet<FrameListeners>();
  readonly #queue: string[] = [];
  #writable = true;
  #closeInfo: CloseInfo | undefined;
  #nextWrite: (() => void) | undefined;
  #resolveClosed!: (info: CloseInfo) => void;
  #channelUuid: string | undefined;
  /** Application ids: this connection's tag + a count, unique on the channel (its sockets have other tags). */
  readonly #appTag = randomBytes(4).toString('hex');
  #appSeq = 0;
  #channelHangup: EslEvent | undefined;
  /** The latest disconnect notice, for a session made after it came (in the connect reply's read). */
  #lastNotice: DisconnectNoticeFrame | undefined;
  /** The latest CHANNEL_HANGUP on this socket, whatever its channel (see bindChannel). */
  #lastHangup: EslEvent | undefined;
  readonly #onData = (chunk: Buffer): void => this.#handleData(chunk);
  readonly #onDrain = (): void => this.#handleDrain();
  /** Resolves (never rejects) once the socket has closed and every pending wait has been settled. */
  readonly closed: Promise<CloseInfo>;

  constructor(socket: Socket, options: EslConnectionOptions) {
    this.#socket = socket;
    this.#log = options.logger;
    this.#parser = new EslParser(options.limits, options.headerBlocks);
    this.#commandTimeoutMs = options.commandTimeoutMs ?? 5_000;
    this.#executeTimeoutMs = options.executeTimeoutMs ?? 600_000;
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.#clock = new WaitClock((now) => this.#expire(now));
    socket.setNoDelay(true);
    socket.on('data', this.#onData);
    socket.on('drain', this.#onDrain);
    socket.on('error', (error: Error) => this.#handleError(error));
    socket.on('close', () => this.#handleClose());
  }

  /** `host:port` of our end of the socket: where the peer reached us. */
  get localEndpoint(): string | undefined {
    const { localAddress, localPort } = this.#socket;
    if (!localAddress || !localPort) return undefined;
    const host = localAddress.startsWith('::ffff:') ? localAddress.slice(7) : localAddress;
    return host.includes(':') ? `[${host}]:${localPort}` : `${host}:${localPort}`;
  }

  get isClosed(): boolean {
    return this.#closeInfo !== undefined || this.#socket.destroyed;
  }

  /**
   * Calls `listener` once, as the next command is queued for the socket (it leaves on this tick's write):
   * what a latency metric ("keys in → next command out") times, with one field check per command.
   * A later call replaces an earlier listener that has not run yet.
   */
  onNextWrite(listener: () => void): void {
    this.#nextWrite = listener;
  }

  /** The channel this connection controls (outbound), used to notice its CHANNEL_HANGUP. */
  bindChannel(uuid: string): void {
    this.#channelUuid = uuid;
    // Setup pipelined with `connect` lets a CHANNEL_HANGUP arrive in the connect reply's read, before
    // the session binds: it still counts.
    if (this.#lastHangup?.uniqueId === uuid) this.#channelHangup ??= this.#lastHangup;
  }

  /**
   * An event this socket never received, rebuilt by the session that owns it (OutboundSession: a hangup
   * before the socket was subscribed). It settles what it would have settled had it come from the switch.
   */
  deliver(event: EslEvent): void {
    this.#onEvent(event);
  }

  /** The latest disconnect notice received, if any. */
  get lastDisconnectNotice(): DisconnectNoticeFrame | undefined {
    return this.#lastNotice;
  }

  /** The CHANNEL_HANGUP of the bound channel, once seen. */
  get channelHangup(): EslEvent | undefined {
    return this.#channelHangup;
  }

  /** Replies (command/reply, api/response) read so far on this socket. */
  get repliesRead(): number {
    return this.#repliesRead;
  }

  /**
   * The ordinal (1-based, as counted by repliesRead) of the reply the next command will get: replies come
   * in the order the commands left. Compared with repliesRead at some frame, it says whether that frame
   * came before or after the reply (OutboundSession.hangup: the linger notice before our hangup's reply
   * means the caller was first).
   */
  get nextReplyOrdinal(): number {
    return this.#repliesRead + this.#replies.length + 1;
  }

  get pendingCount(): { replies: number; executes: number } {
    return { replies: this.#replies.filter((r) => !r.done).length, executes: this.#executes.size };
  }

  on<K extends keyof FrameListeners>(kind: K, listener: FrameListeners[K]): () => void {
    return this.#listeners.add(kind, listener);
  }

  off<K extends keyof FrameListeners>(kind: K, listener: FrameListeners[K]): void {
    this.#listeners.delete(kind, listener);
  }

  listenerCount(kind: keyof FrameListeners): number {
    return this.#listeners.count(kind);
  }

  /** Sends a command and resolves with its `+OK` reply; `-ERR` rejects with `EslCommandError`. */
  async command(command: string, headers?: CommandHeaders, options: CommandOptions = {}, body?: string): Promise<EslReply> {
    const frame = await this.#request(command, headers, 'command-reply', options, body);
    if (frame.kind !== 'command-reply') throw new EslUnexpectedReplyError(command, frame.kind);
    const parsed = parseCommandReply(command, frame);
    if (!parsed.ok) throw parsed.error;
    return parsed;
  }

  /**
   * `getvar <name>` (outbound sockets): the channel variable's value (parseGetvarReply). On a sync socket it
   * is read only after the command before it is done, so it also tells that command's end
   * (OutboundSession.execute).
   */
  async getvar(name: string, options: CommandOptions = {}): Promise<string> {
    const command = `getvar ${name}`;
    const frame = await this.#request(command, undefined, 'command-reply', options);
    if (frame.kind !== 'command-reply') throw new EslUnexpectedReplyError(command, frame.kind);
    return parseGetvarReply(frame);
  }

  /**
   * `sendmsg` execute with no Application-UUID and no `event-lock`, resolving with its reply. On a sync
   * (`static`) socket FreeSWITCH replies once the app is done (fact 17): the reply is the completion, and
   * no CHANNEL_EXECUTE_COMPLETE is needed (OutboundSession.execute).
   */
  runApp(app: string, arg: string | undefined, options: CommandOptions = {}): Promise<EslReply> {
    const { headers, body } = executeMessage(app, arg);
    return this.command('sendmsg', headers, options, body);
  }

  /** `api <cmd>`: resolves with the body; a body starting `-ERR` rejects with `EslCommandError`. */
  async api(command: string, options: CommandOptions = {}): Promise<ApiResult> {
    const full = `api ${command}`;
    const frame = await this.#request(full, undefined, 'api-response', options);
    if (frame.kind !== 'api-response') throw new EslUnexpectedReplyError(full, frame.kind);
    const parsed = parseApiResponse(full, frame);
    if (!parsed.ok) throw parsed.error;
    return parsed;
  }

  /** `sendmsg [uuid]` with the given headers (hangup, unicast, execute...). */
  sendmsg(uuid: string | undefined, headers: CommandHeaders, options: CommandOptions = {}): Promise<EslReply> {
    return this.command(uuid ? `sendmsg ${uuid}` : 'sendmsg', headers, options);
  }

  /**
   * Runs a dialplan app and waits for its CHANNEL_EXECUTE_COMPLETE, matched by the Application-UUID we
   * generate (sent as Event-UUID, fact 4). Resolves `{kind: 'hangup'}` as soon as the channel's
   * CHANNEL_HANGUP is seen, since FreeSWITCH may never complete the app after that (fact 5).
   */
  async execute(app: string, arg?: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const target = options.uuid ?? this.#channelUuid;
    if (this.#channelHangup && target === this.#channelUuid) {
      return { kind: 'hangup', cause: this.#channelHangup.headers['Hangup-Cause'], event: this.#channelHangup };
    }
    // Short, not a UUID: FreeSWITCH reads a command's header block one byte per recv(), each followed by a
    // sched_yield() (mod_event_socket's read_packet), so every byte we send costs the switch two syscalls.
    const appUuid = `${this.#appTag}-${(++this.#appSeq).toString(36)}`;
    const command = `execute ${app}`;
    const timeoutMs = options.timeoutMs ?? this.#executeTimeoutMs;
    const { signal } = options;
    const outcome = new Promise<ExecuteOutcome>((resolve) => {
      const pending = new PendingExecute(this.#clock, this.#executes, appUuid, target, command, timeoutMs, signal, resolve);
      this.#executes.set(appUuid, pending);
      if (signal?.aborted) pending.handleEvent();
      else signal?.addEventListener('abort', pending, { once: true });
    });
    const { headers, body } = executeMessage(app, arg);
    if (options.eventLock !== false) headers.push(['event-lock', 'true']);
    headers.push(['Event-UUID', appUuid]);
    if (this.#executes.has(appUuid)) {
      // The sendmsg's reply is awaited here directly (what `sendmsg` → `command` do, one promise layer less).
      // On a sync (`static`) socket FreeSWITCH replies only once the app is done: the app's own timeout.
      const sendmsg = options.uuid ? `sendmsg ${options.uuid}` : 'sendmsg';
      try {
        const frame = await this.#request(sendmsg, headers, 'command-reply', { timeoutMs: Math.max(timeoutMs, this.#commandTimeoutMs), signal }, body);
        if (frame.kind !== 'command-reply') throw new EslUnexpectedReplyError(sendmsg, frame.kind);
        const parsed = parseCommandReply(sendmsg, frame);
        if (!parsed.ok) throw parsed.error;
      } catch (error) {
        this.#executes.get(appUuid)?.settle({ error: error as Error });
      }
    }
    const o = await outcome;
    if ('error' in o) throw o.error;
    return o.result;
  }

  /** Graceful close (FIN); pending waits are rejected when the socket closes. */
  end(): void {
    if (this.#socket.destroyed) return;
    // Commands of this tick still go out before the FIN.
    this.#takeTick();
    this.#flush();
    this.#socket.end();
  }

  destroy(error?: Error): void {
    if (!this.#socket.destroyed) this.#socket.destroy(error);
  }

  #request(
    command: string,
    headers: CommandHeaders | undefined,
    expect: ReplyExpect,
    options: CommandOptions,
    body?: string,
  ): Promise<EslFrame> {
    const first = commandLabel(command);
    if (this.isClosed) return Promise.reject(new EslClosedError(first, this.#closeInfo?.reason ?? 'socket destroyed'));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new EslAbortError(first));
    let text: string;
    try {
      text = formatCommandText(command, headers, body);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const timeoutMs = options.timeoutMs ?? this.#commandTimeoutMs;
    return new Promise<EslFrame>((resolve, reject) => {
      const listens = signal !== undefined && !this.#watch(signal);
      this.#replies.push(new PendingReply(this.#clock, first, expect, timeoutMs, signal, listens, resolve, reject));
      this.#write(text);
    });
  }

  #write(text: string): void {
    if (this.#socket.destroyed) return;
    const next = this.#nextWrite;
    if (next) {
      this.#nextWrite = undefined;
      // A metric's bug must not fail the command being written.
      try {
        next();
      } catch (error) {
        this.#log.warn({ err: error }, 'next-write listener failed');
      }
    }
    // Commands issued in the same tick (pipelined setup, sendmsg + execute) leave in one write: they are
    // gathered here and sent on the next tick as one string, which Node encodes straight into the write
    // request (no Buffer per command, no cork/uncork, no writev of small chunks).
    this.#tick.push(text);
    if (this.#tick.length === 1) process.nextTick(EslConnection.#sendTick, this);
  }

  /** This tick's commands, not yet handed to the socket. */
  readonly #tick: string[] = [];
  static #sendTick(conn: EslConnection): void {
    conn.#takeTick();
    conn.#flush();
  }

  #takeTick(): void {
    const tick = this.#tick;
    if (tick.length === 0) return;
    this.#queue.push(tick.length === 1 ? tick[0]! : tick.join(''));
    tick.length = 0;
  }

  #flush(): void {
    while (this.#writable && this.#queue.length > 0 && !this.#socket.destroyed) {
      const next = this.#queue.shift()!;
      this.#writable = this.#socket.write(next);
    }
  }

  #handleDrain(): void {
    this.#writable = true;
    this.#flush();
  }

  #handleData(chunk: Buffer): void {
    try {
      const { frames, error } = this.#parser.feed(chunk);
      for (const frame of frames) this.#dispatch(frame);
      if (error) {
        this.#log.warn({ err: error, code: error.code }, 'esl protocol error; dropping connection');
        this.destroy(error);
      }
    } catch (error) {
      this.#log.error({ err: error }, 'esl frame handling failed; dropping connection');
      this.destroy(error as Error);
    }
  }

  #handleError(error: Error): void {
    // ECONNRESET, EPIPE...: 'close' follows and settles everything.
    this.#log.debug({ err: error }, 'esl socket error');
    this.#closeInfo ??= { reason: (error as NodeJS.ErrnoException).code ?? error.message, error };
  }

  #handleClose(): void {
    const truncated = this.#parser.finish();
    if (truncated) this.#log.warn({ err: truncated }, 'esl stream ended mid-frame');
    const info: CloseInfo = this.#closeInfo ?? { reason: truncated ? 'truncated' : 'closed', error: truncated };
    this.#closeInfo = info;
    for (const slot of this.#replies.splice(0)) slot.settle({ error: new EslClosedError(slot.command, info.reason) });
    for (const pending of [...this.#executes.values()]) {
      pending.settle({ error: new EslClosedError('execute', info.reason) });
    }
    this.#clock.close();
    this.#watched?.removeEventListener('abort', this.#onWatchedAbort);
    this.#tick.length = 0;
    this.#queue.length = 0;
    this.#socket.off('data', this.#onData);
    this.#socket.off('drain', this.#onDrain);
    this.#listeners.emit('close', info, this.#log);
    this.#resolveClosed(info);
  }

  /**
   * The first signal given to a command (an outbound session passes its own to most) gets one abort
   * listener for the whole connection, which rejects every reply waiting with that signal, in FIFO order;
   * other signals get a listener per command.
   */
  #watch(signal: CancelSignal): boolean {
    if (this.#watched === signal) return true;
    if (this.#watched !== undefined) return false;
    this.#watched = signal;
    signal.addEventListener('abort', this.#onWatchedAbort, { once: true });
    return true;
  }

  #watched: CancelSignal | undefined;
  readonly #onWatchedAbort = (): void => this.#handleWatchedAbort();
  #handleWatchedAbort(): void {
    for (const slot of this.#replies) if (!slot.done && slot.signal === this.#watched) slot.handleEvent();
  }

  /** Settles every wait whose deadline passed; returns the earliest deadline still pending. */
  #expire(now: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const slot of this.#replies) {
      if (slot.done) continue;
      if (slot.deadline <= now) slot.expire();
      else if (slot.deadline < next) next = slot.deadline;
    }
    for (const pending of this.#executes.values()) {
      if (pending.deadline <= now) pending.expire();
      else if (pending.deadline < next) next = pending.deadline;
    }
    return next;
  }

  #dispatch(frame: EslFrame): void {
    switch (frame.kind) {
      case 'command-reply':
      case 'api-response': {
        this.#repliesRead++;
        const slot = this.#replies.shift();
        if (!slot) {
          this.#log.warn({ kind: frame.kind }, 'esl reply with no command pending');
          return;
        }
        if (slot.expect !== frame.kind) this.#log.warn({ command: slot.command, kind: frame.kind }, 'esl reply kind mismatch');
        slot.settle({ frame });
        return;
      }
      case 'event':
        this.#onEvent(frame.event);
        return;
      case 'disconnect-notice':
        this.#lastNotice = frame;
        this.#listeners.emit('disconnect-notice', frame, this.#log);
        return;
      case 'auth-request':
        this.#listeners.emit('auth-request', frame, this.#log);
        return;
      case 'unknown':
        this.#log.debug({ contentType: frame.contentType }, 'esl frame of unknown type ignored');
        return;
    }
  }

  #onEvent(event: EslEvent): void {
    if (event.name === 'CHANNEL_EXECUTE_COMPLETE') {
      const id = event.headers['Application-UUID'];
      const pending = id === undefined ? undefined : this.#executes.get(id);
      // Another channel's event (before our filter took effect) never completes ours, whatever its id.
      if (pending?.target !== undefined && event.uniqueId !== undefined && event.uniqueId !== pending.target) return;
      pending?.settle({ result: { kind: 'complete', event, response: event.headers['Application-Response'] } });
    } else if (event.name === 'CHANNEL_HANGUP') {
      this.#lastHangup = event;
      if (event.uniqueId !== undefined && event.uniqueId === this.#channelUuid) this.#channelHangup = event;
      const cause = event.headers['Hangup-Cause'];
      for (const pending of [...this.#executes.values()]) {
        if (pending.target === undefined || pending.target === event.uniqueId) {
          pending.settle({ result: { kind: 'hangup', cause, event } });
        }
      }
    }
    this.#listeners.emit('event', event, this.#log);
  }
}
