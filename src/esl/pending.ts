/**
 * What an ESL connection is waiting for: commands awaiting their reply (FIFO) and executes awaiting their
 * EXECUTE_COMPLETE (by Application-UUID). Each is one small object with its own timeout, and it is its own
 * abort listener, so a command costs no closures.
 */
import type { EslFrame } from './parser.ts';
import type { ExecuteResult } from './connection.ts';
import { EslAbortError, EslTimeoutError } from './replies.ts';

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
  readonly #timer: NodeJS.Timeout;

  constructor(
    readonly command: string,
    readonly expect: ReplyExpect,
    readonly timeoutMs: number,
    readonly signal: AbortSignal | undefined,
    readonly resolve: (frame: EslFrame) => void,
    readonly reject: (error: Error) => void,
  ) {
    this.#timer = setTimeout(replyTimedOut, timeoutMs, this);
    signal?.addEventListener('abort', this, { once: true });
  }

  handleEvent(): void {
    this.settle({ error: new EslAbortError(this.command) });
  }

  settle(o: ReplyOutcome): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.#timer);
    this.signal?.removeEventListener('abort', this);
    if ('frame' in o) this.resolve(o.frame);
    else this.reject(o.error);
  }
}

function replyTimedOut(slot: PendingReply): void {
  slot.settle({ error: new EslTimeoutError(slot.command, slot.timeoutMs) });
}

/** An execute waiting for its EXECUTE_COMPLETE (or the hangup), keyed by Application-UUID. */
export class PendingExecute {
  readonly #timer: NodeJS.Timeout;

  constructor(
    readonly executes: Map<string, PendingExecute>,
    readonly appUuid: string,
    readonly target: string | undefined,
    readonly command: string,
    readonly timeoutMs: number,
    readonly signal: AbortSignal | undefined,
    readonly resolve: (o: ExecuteOutcome) => void,
  ) {
    this.#timer = setTimeout(executeTimedOut, timeoutMs, this);
  }

  handleEvent(): void {
    this.settle({ error: new EslAbortError(this.command) });
  }

  settle(o: ExecuteOutcome): void {
    if (!this.executes.delete(this.appUuid)) return;
    clearTimeout(this.#timer);
    this.signal?.removeEventListener('abort', this);
    this.resolve(o);
  }
}

function executeTimedOut(pending: PendingExecute): void {
  pending.settle({ error: new EslTimeoutError(pending.command, pending.timeoutMs) });
}

const SECRET_COMMAND = /^(auth|userauth)\s.*$/;

/** The first line names the command in errors and logs; never the password of `auth`. */
export function commandLabel(command: string): string {
  if (!command.includes('\n') && !command.startsWith('auth') && !command.startsWith('userauth')) return command;
  return (command.split('\n', 1)[0] ?? command).replace(SECRET_COMMAND, '$1 ***');
}

