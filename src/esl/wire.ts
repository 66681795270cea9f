/**
 * Serialising commands. A command is its line, optional `Name: value` header lines, and a blank line.
 * A newline inside any part would inject a second command, so it is refused.
 */
export type CommandHeaders = Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;

export class EslInvalidCommandError extends Error {
  override readonly name = 'EslInvalidCommandError' as const;
}

const hasNewline = (part: string): boolean => part.includes('\n') || part.includes('\r');

function newlineError(part: string, what: string): EslInvalidCommandError {
  return new EslInvalidCommandError(`${what} contains a newline: ${JSON.stringify(part.slice(0, 60))}`);
}

/** `formatCommandText` as bytes. */
export function formatCommand(command: string, headers?: CommandHeaders, body?: string): Buffer {
  return Buffer.from(formatCommandText(command, headers, body), 'utf8');
}

/**
 * `command` + `\nName: value` per header + `\n\n`, then `body` if given (announced by a
 * `content-length` header, in bytes). Checked without building a message per part, joined with plain
 * `+` (a rope, flattened once when the connection writes it). The body refuses newlines too: it carries
 * an app argument, which the header form could not hold with one either.
 */
export function formatCommandText(command: string, headers?: CommandHeaders, body?: string): string {
  if (hasNewline(command)) throw newlineError(command, 'command');
  let text = command;
  if (headers !== undefined) {
    const pairs = (Array.isArray(headers) ? headers : Object.entries(headers)) as ReadonlyArray<readonly [string, string]>;
    for (const [name, value] of pairs) {
      if (hasNewline(name)) throw newlineError(name, 'header name');
      if (hasNewline(value)) throw newlineError(value, `header ${name}`);
      if (name.includes(':')) throw new EslInvalidCommandError(`header name contains a colon: ${name}`);
      text = text + '\n' + name + ': ' + value;
    }
  }
  if (body === undefined) return text + '\n\n';
  if (hasNewline(body)) throw newlineError(body, 'body');
  return text + '\ncontent-length: ' + Buffer.byteLength(body) + '\n\n' + body;
}

/**
 * An app argument this long or longer goes as a text/plain body: `content-type` + `content-length` (~44
 * header bytes) cost less than `execute-app-arg: ` (18) + the argument read byte by byte.
 */
const BODY_ARG_MIN = 27;

/**
 * A `sendmsg` execute's headers and body. A long argument goes as the body (read in one recv, not byte by
 * byte): FreeSWITCH takes a text/plain body as the app's argument when there is no execute-app-arg
 * (switch_ivr_parse_event).
 */
export function executeMessage(app: string, arg: string | undefined): { headers: Array<[string, string]>; body: string | undefined } {
  const headers: Array<[string, string]> = [
    ['call-command', 'execute'],
    ['execute-app-name', app],
  ];
  const inBody = arg !== undefined && arg.length >= BODY_ARG_MIN;
  if (inBody) headers.push(['content-type', 'text/plain']);
  else if (arg !== undefined && arg !== '') headers.push(['execute-app-arg', arg]);
  return { headers, body: inBody ? arg : undefined };
}
