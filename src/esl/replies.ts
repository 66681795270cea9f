/**
 * Replies are parsed once, here, into typed results. `-ERR ...` becomes an `EslCommandError`; call sites
 * never compare strings. Also home of the other ESL error classes (each with a literal `name`).
 */
import type { ApiResponseFrame, CommandReplyFrame, EslHeaders } from './parser.ts';

/** FreeSWITCH answered `-ERR ...` (command/reply or api/response). */
export class EslCommandError extends Error {
  override readonly name = 'EslCommandError' as const;
  constructor(
    readonly command: string,
    /** The text after `-ERR ` (e.g. `invalid session id [abc]`, `USER_BUSY`). */
    readonly reason: string,
  ) {
    super(`${command.split('\n', 1)[0]}: -ERR ${reason}`);
  }
}

/** No reply (or no EXECUTE_COMPLETE) within the allowed time. */
export class EslTimeoutError extends Error {
  override readonly name = 'EslTimeoutError' as const;
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`${command.split('\n', 1)[0]}: no answer within ${timeoutMs} ms`);
  }
}

/** The socket closed (or was destroyed) while the command was pending, or before it was sent. */
export class EslClosedError extends Error {
  override readonly name = 'EslClosedError' as const;
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(`${command.split('\n', 1)[0]}: connection closed (${reason})`);
  }
}

/** The caller's AbortSignal fired. */
export class EslAbortError extends Error {
  override readonly name = 'EslAbortError' as const;
  constructor(readonly command: string) {
    super(`${command.split('\n', 1)[0]}: aborted`);
  }
}

/** A reply of a kind the command does not expect (e.g. api/response to a plain command). */
export class EslUnexpectedReplyError extends Error {
  override readonly name = 'EslUnexpectedReplyError' as const;
  constructor(
    readonly command: string,
    readonly got: string,
  ) {
    super(`${command.split('\n', 1)[0]}: unexpected reply ${got}`);
  }
}

export type EslError = EslCommandError | EslTimeoutError | EslClosedError | EslAbortError | EslUnexpectedReplyError;

/** A successful command/reply. `text` is the Reply-Text after `+OK` (trimmed; may be empty). */
export interface EslReply {
  readonly ok: true;
  readonly text: string;
  readonly replyText: string;
  readonly headers: EslHeaders;
}

/** A successful api/response (or BACKGROUND_JOB result). */
export interface ApiResult {
  readonly ok: true;
  /** Body without a leading `+OK ` and surrounding whitespace (`status` has no `+OK` at all). */
  readonly text: string;
  /** The body exactly as received. */
  readonly body: string;
}

export type Parsed<T> = T | { readonly ok: false; readonly error: EslCommandError };

/** Splits `+OK rest` / `-ERR rest`; anything else is treated as success with the whole text. */
export function classifyText(text: string): { ok: boolean; rest: string } {
  // trim() strips exactly what \s matches (WhiteSpace and LineTerminator), without two regex passes.
  const t = text.trim();
  // `-ERR …`, and mod_commands' own forms: `-ERROR` (uuid_answer of a channel gone), `-USAGE: …`.
  if (t.startsWith('-ERR')) return { ok: false, rest: t.startsWith('-ERROR') ? t.slice(1).trim() : t.slice(4).trim() };
  if (t.startsWith('-USAGE')) return { ok: false, rest: t.slice(1).trim() };
  if (t === '+OK' || t.startsWith('+OK ') || t.startsWith('+OK\n')) return { ok: true, rest: t.slice(3).trim() };
  return { ok: true, rest: t };
}

export function parseCommandReply(command: string, frame: CommandReplyFrame): Parsed<EslReply> {
  const { ok, rest } = classifyText(frame.replyText);
  if (!ok) return { ok: false, error: new EslCommandError(command, rest) };
  return { ok: true, text: rest, replyText: frame.replyText, headers: frame.headers };
}

/** mod_event_socket's reply to a command whose reply text stayed empty (parse_command's `done`). */
const EMPTY_REPLY = '-ERR command not found';

/**
 * `getvar`'s reply: the variable's value, raw in Reply-Text (not classified: a value is not a
 * `+OK`/`-ERR`). An unset or empty variable leaves the reply text empty, which mod_event_socket answers
 * with `-ERR command not found`: read as empty.
 */
export function parseGetvarReply(frame: CommandReplyFrame): string {
  return frame.replyText === EMPTY_REPLY ? '' : frame.replyText;
}

export function parseApiBody(command: string, body: string): Parsed<ApiResult> {
  const { ok, rest } = classifyText(body);
  if (!ok) return { ok: false, error: new EslCommandError(command, rest) };
  return { ok: true, text: rest, body };
}

export function parseApiResponse(command: string, frame: ApiResponseFrame): Parsed<ApiResult> {
  return parseApiBody(command, frame.body);
}
