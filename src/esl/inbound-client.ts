/**
 * Inbound ESL client (FreeSWITCH :8021): auth, `api`, `bgapi` correlated by an explicit Job-UUID with
 * its BACKGROUND_JOB event, `event plain` subscriptions (re-sent after every reconnect), and reconnect
 * with capped exponential backoff until `close()`. Every wait has a timeout; pending work is rejected
 * with `EslClosedError` when the connection drops.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { Logger } from '../runtime/logger.ts';
import { EslConnection, type CommandOptions } from './connection.ts';
import type { EslEvent } from './event.ts';
import { ListenerSet } from './listeners.ts';
import type { ParserLimits } from './parser.ts';
import {
  EslAbortError,
  EslClosedError,
  EslTimeoutError,
  parseApiBody,
  type ApiResult,
} from './replies.ts';

export type InboundState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface BackoffOptions {
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly factor?: number;
}

export interface InboundClientOptions {
  readonly host?: string;
  readonly port?: number;
  readonly password: string;
  readonly logger: Logger;
  readonly commandTimeoutMs?: number;
  /** Time from socket open to `+OK accepted` (default 5 s). */
  readonly authTimeoutMs?: number;
  readonly reconnect?: BackoffOptions;
  /** Event names to subscribe to on every connection (BACKGROUND_JOB is always added). */
  readonly events?: readonly string[];
  readonly limits?: ParserLimits;
}

export interface BgapiResult extends ApiResult {
  readonly jobUuid: string;
}

interface ClientListeners {
  state: (state: InboundState) => void;
  event: (event: EslEvent) => void;
}

export class EslAuthError extends Error {
  override readonly name = 'EslAuthError' as const;
}

/** Delay before reconnect attempt `attempt` (0-based): initial × factor^attempt, capped. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const factor = options.factor ?? 2;
  return Math.min(max, initial * factor ** Math.min(attempt, 30));
}

export class InboundClient {
  readonly #options: InboundClientOptions;
  readonly #log: Logger;
  readonly #listeners = new ListenerSet<ClientListeners>();
  readonly #jobs = new Map<string, (outcome: { event: EslEvent } | { error: Error }) => void>();
  readonly #events: Set<string>;
  /** `filter <header> <value>` lines, kept across reconnects (sent before `event plain`). */
  readonly #filters = new Set<string>();
  readonly #stop = new AbortController();
  #state: InboundState = 'idle';
  #conn: EslConnection | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: InboundClientOptions) {
    this.#options = options;
    this.#log = options.logger.child({ esl: 'inbound' });
    this.#events = new Set(['BACKGROUND_JOB', ...(options.events ?? [])]);
  }

  get state(): InboundState {
    return this.#state;
  }

  get connected(): boolean {
    return this.#state === 'connected';
  }

  /** Starts connecting (and reconnecting) in the background. Idempotent. */
  start(): void {
    this.#loop ??= this.#run();
  }

  onState(listener: (state: InboundState) => void): () => void {
    return this.#listeners.add('state', listener);
  }

  onEvent(listener: (event: EslEvent) => void): () => void {
    return this.#listeners.add('event', listener);
  }

  /** Resolves once connected (immediately if already); rejects on timeout, abort or close(). */
  waitConnected(options: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        off();
        options.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const off = this.onState((state) => {
        if (state === 'connected') finish();
        else if (state === 'closed') finish(new EslClosedError('waitConnected', 'client closed'));
      });
      const timer = setTimeout(() => finish(new EslTimeoutError('waitConnected', options.timeoutMs)), options.timeoutMs);
      const onAbort = (): void => finish(new EslAbortError('waitConnected'));
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  api(command: string, options?: CommandOptions): Promise<ApiResult> {
    const conn = this.#conn;
    if (!conn || !this.connected) return Promise.reject(new EslClosedError(`api ${command}`, 'not connected'));
    return conn.api(command, options);
  }

  /** `bgapi <cmd>` with our own Job-UUID; resolves with the BACKGROUND_JOB body (`-ERR` rejects). */
  async bgapi(command: string, options: CommandOptions = {}): Promise<BgapiResult> {
    const conn = this.#conn;
    const full = `bgapi ${command}`;
    if (!conn || !this.connected) throw new EslClosedError(full, 'not connected');
    const jobUuid = randomUUID();
    const timeoutMs = options.timeoutMs ?? this.#options.commandTimeoutMs ?? 5_000;
    const job = new Promise<{ event: EslEvent } | { error: Error }>((resolve) => {
      const timer = setTimeout(() => settle({ error: new EslTimeoutError(full, timeoutMs) }), timeoutMs);
      const onAbort = (): void => settle({ error: new EslAbortError(full) });
      const settle = (outcome: { event: EslEvent } | { error: Error }): void => {
        if (!this.#jobs.delete(jobUuid)) return;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      this.#jobs.set(jobUuid, settle);
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await conn.command(full, [['Job-UUID', jobUuid]], options);
    } catch (error) {
      this.#jobs.get(jobUuid)?.({ error: error as Error });
    }
    const outcome = await job;
    if ('error' in outcome) throw outcome.error;
    const parsed = parseApiBody(full, outcome.event.body ?? '');
    if (!parsed.ok) throw parsed.error;
    return { ...parsed, jobUuid };
  }

  /**
   * Only events whose `header` matches `value` (exact, or `/regex/`) reach this connection; filters are
   * OR'ed. FreeSWITCH checks filters before it copies and serializes an event for a socket, so a filter
   * is what keeps the switch from sending us every call's channel events (its CPU is the bottleneck).
   * The client's own BACKGROUND_JOB replies always pass. Kept across reconnects.
   */
  async filter(header: string, value: string, options?: CommandOptions): Promise<void> {
    const lines = this.#filters.size === 0 ? ['filter Event-Name BACKGROUND_JOB'] : [];
    lines.push(`filter ${header} ${value}`);
    for (const l of lines) this.#filters.add(l);
    const conn = this.#conn;
    if (conn && this.connected) for (const l of lines) await conn.command(l, undefined, options);
  }

  /** Adds event names to the subscription (kept across reconnects). */
  async subscribe(names: readonly string[], options?: CommandOptions): Promise<void> {
    for (const name of names) this.#events.add(name);
    const conn = this.#conn;
    if (conn && this.connected) await conn.command(`event plain ${names.join(' ')}`, undefined, options);
  }

  /** Stops reconnecting, sends `exit` if connected, and waits for the loop to end. */
  async close(): Promise<void> {
    if (this.#stop.signal.aborted) return this.#loop;
    this.#stop.abort();
    const conn = this.#conn;
    if (conn && !conn.isClosed) {
      await conn.command('exit', undefined, { timeoutMs: 1_000 }).catch(() => undefined);
      conn.destroy();
    }
    if (this.#loop) await this.#loop;
    else this.#setState('closed');
  }

  #setState(state: InboundState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#log.debug({ state }, 'inbound esl state');
    this.#listeners.emit('state', state, this.#log);
  }

  async #run(): Promise<void> {
    const stop = this.#stop.signal;
    let failures = 0;
    while (!stop.aborted) {
      this.#setState('connecting');
      const reachedConnected = await this.#session(failures);
      if (stop.aborted) break;
      failures = reachedConnected ? 0 : failures + 1;
      this.#setState('disconnected');
      await sleep(backoffDelay(Math.max(0, failures - 1), this.#options.reconnect), stop);
    }
    this.#setState('closed');
  }

  /** One connection's life; true if it got as far as `connected`. `failures` so far only tunes logging. */
  async #session(failures: number): Promise<boolean> {
    const socket = connect({ host: this.#options.host ?? '127.0.0.1', port: this.#options.port ?? 8021 });
    const conn = new EslConnection(socket, {
      logger: this.#log,
      commandTimeoutMs: this.#options.commandTimeoutMs,
      limits: this.#options.limits,
    });
    const offStop = (): void => conn.destroy();
    this.#stop.signal.addEventListener('abort', offStop, { once: true });
    let reached = false;
    try {
      const authTimeoutMs = this.#options.authTimeoutMs ?? 5_000;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => done(new EslTimeoutError('auth/request', authTimeoutMs)), authTimeoutMs);
        const offAuth = conn.on('auth-request', () => done());
        const offClose = conn.on('close', (info) => done(new EslClosedError('auth/request', info.reason)));
        function done(error?: Error): void {
          clearTimeout(timer);
          offAuth();
          offClose();
          if (error) reject(error);
          else resolve();
        }
      });
      try {
        await conn.command(`auth ${this.#options.password}`, undefined, { timeoutMs: authTimeoutMs });
      } catch (error) {
        throw new EslAuthError(`authentication failed: ${(error as Error).message}`);
      }
      for (const f of this.#filters) await conn.command(f);
      await conn.command(`event plain ${[...this.#events].join(' ')}`);
      conn.on('event', this.#onEvent);
      this.#conn = conn;
      reached = true;
      this.#setState('connected');
    } catch (error) {
      if (!this.#stop.signal.aborted) {
        // Loud once per outage, quiet while retrying: a switch that is down is not news every second.
        const reason = (error as Error).message;
        if (failures === 0) this.#log.warn({ reason }, 'inbound esl connect failed; retrying with backoff');
        else this.#log.debug({ reason, failures }, 'inbound esl connect failed');
      }
      conn.destroy();
    }
    const info = await conn.closed;
    this.#stop.signal.removeEventListener('abort', offStop);
    if (this.#conn === conn) this.#conn = undefined;
    for (const settle of [...this.#jobs.values()]) settle({ error: new EslClosedError('bgapi', info.reason) });
    return reached;
  }

  readonly #onEvent = (event: EslEvent): void => {
    if (event.name === 'BACKGROUND_JOB') {
      const id = event.headers['Job-UUID'];
      if (id !== undefined) this.#jobs.get(id)?.({ event });
    }
    this.#listeners.emit('event', event, this.#log);
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

export function createInboundClient(options: InboundClientOptions): InboundClient {
  return new InboundClient(options);
}
