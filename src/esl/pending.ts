/**
 * What an ESL connection is waiting for: commands awaiting their reply (FIFO) and executes awaiting their
 * EXECUTE_COMPLETE (by Application-UUID). Each is one small object with a deadline, and it is its own
 * abort listener, so a command costs no closures. The deadlines share one timer per connection
 * (`WaitClock`) instead of a setTimeout/clearTimeout pair per command.
 */
import type { EslEvent } from './event.ts';
import type { EslFrame } from './parser.ts';
import { EslAbortError, EslTimeoutError } from './replies.ts';
import type { CancelSignal } from './call-signal.ts';

/** How an `execute` ended. */
export type ExecuteResult =
  | { readonly kind: 'complete'; readonly event: EslEvent; readonly response: string | undefined }
  /** CHANNEL_HANGUP came first (or had already come): FreeSWITCH will not finish the app (fact 5). */
  | { readonly kind: 'hangup'; readonly cause: string | undefined; readonly event: EslEvent };

export type ReplyExpect = 'command-reply' | 'api-response';
export type ReplyOutcome = { frame: EslFrame } | { error: Error };
export type ExecuteOutcome = { result: ExecuteResult } | { error: Error };

/**
 * A command waiting for its reply. Still in the FIFO after a timeout/abort (`done`) so a late reply is
 * consumed by the right slot. A class, not closures: one object per command, and it is its own abort
 * listener (`handleEvent`).
 */
export class PendingReply {
  done = false;
  readonly deadline: number;

  constructor(
    readonly clock: WaitClock,
    readonly command: string,
    readonly expect: ReplyExpect,
    readonly timeoutMs: number,
    readonly signal: CancelSignal | undefined,
    /** False when the connection already watches `signal` for all its waits (see EslConnection). */
    readonly listens: boolean,
    readonly resolve: (frame: EslFrame) => void,
    readonly reject: (error: Error) => void,
  ) {
    this.deadline = clock.start(timeoutMs);
    if (listens) signal?.addEventListener('abort', this, { once: true });
  }

  handleEvent(): void {
    this.settle({ error: new EslAbortError(this.command) });
  }

  /** The deadline passed (called by the connection when its clock fires). */
  expire(): void {
    this.settle({ error: new EslTimeoutError(this.command, this.timeoutMs) });
  }

  settle(o: ReplyOutcome): void {
    if (this.done) return;
    this.done = true;
    this.clock.stop();
    if (this.listens) this.signal?.removeEventListener('abort', this);
    if ('frame' in o) this.resolve(o.frame);
    else this.reject(o.error);
  }
}

/** An execute waiting for its EXECUTE_COMPLETE (or the hangup), keyed by Application-UUID. */
export class PendingExecute {
  readonly deadline: number;

  constructor(
    readonly clock: WaitClock,
    readonly executes: Map<string, PendingExecute>,
    readonly appUuid: string,
    readonly target: string | undefined,
    readonly command: string,
    readonly timeoutMs: number,
    readonly signal: CancelSignal | undefined,
    readonly resolve: (o: ExecuteOutcome) => void,
  ) {
    this.deadline = clock.start(timeoutMs);
  }

  handleEvent(): void {
    this.settle({ error: new EslAbortError(this.command) });
  }

  expire(): void {
    this.settle({ error: new EslTimeoutError(this.command, this.timeoutMs) });
  }

  settle(o: ExecuteOutcome): void {
    if (!this.executes.delete(this.appUuid)) return;
    this.clock.stop();
    this.signal?.removeEventListener('abort', this);
    this.resolve(o);
  }
}

/**
 * One timer for all of a connection's deadlines (monotonic clock). It is armed for the earliest deadline
 * and not cleared when a wait settles: when it fires, `expire` settles what is due and returns the next
 * deadline. While nothing is pending the timer is unref'd, so an idle connection holds no process open.
 */
export class WaitClock {
  #timer: NodeJS.Timeout | undefined;
  #at = Number.POSITIVE_INFINITY;
  #live = 0;

  /** `expire(now)` settles every wait due by `now` and returns the earliest deadline left (or Infinity). */
  constructor(readonly expire: (now: number) => number) {}

  /** A wait of `timeoutMs` begins; returns its deadline. */
  start(timeoutMs: number): number {
    const deadline = performance.now() + timeoutMs;
    this.#live++;
    if (deadline < this.#at) this.#arm(deadline);
    else if (this.#live === 1) this.#timer?.ref();
    return deadline;
  }

  /** A wait settled (each exactly once). */
  stop(): void {
    if (--this.#live === 0) this.#timer?.unref();
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#at = Number.POSITIVE_INFINITY;
  }

  fire(): void {
    this.#timer = undefined;
    this.#at = Number.POSITIVE_INFINITY;
    const next = this.expire(performance.now());
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }

  #arm(deadline: number): void {
    clearTimeout(this.#timer);
    this.#at = deadline;
    this.#timer = setTimeout(clockFired, Math.max(1, Math.ceil(deadline - performance.now())), this);
    if (this.#live === 0) this.#timer.unref();
  }
}

function clockFired(clock: WaitClock): void {
  clock.fire();
}

const SECRET_COMMAND = /^(auth|userauth)\s.*$/;

/** The first line names the command in errors and logs; never the password of `auth`. */
export function commandLabel(command: string): string {
  if (!command.includes('\n') && !command.startsWith('auth') && !command.startsWith('userauth')) return command;
  return (command.split('\n', 1)[0] ?? command).replace(SECRET_COMMAND, '$1 ***');
}

