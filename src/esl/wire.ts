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

const LF = 0x0a;

/**
 * The bytes of `command` + `\nName: value` per header + `\n\n`, written straight into one buffer (no
 * intermediate strings: a command is built per call step, and its garbage is what the young
 * generation collects while calls wait for keys).
 */
export function formatCommand(command: string, headers?: CommandHeaders): Buffer {
  if (hasNewline(command)) throw newlineError(command, 'command');
  const pairs = headers === undefined ? undefined : ((Array.isArray(headers) ? headers : Object.entries(headers)) as ReadonlyArray<readonly [string, string]>);
  let size = Buffer.byteLength(command, 'utf8') + 2;
  if (pairs !== undefined) {
    for (const [name, value] of pairs) {
      if (hasNewline(name)) throw newlineError(name, 'header name');
      if (hasNewline(value)) throw newlineError(value, `header ${name}`);
      if (name.includes(':')) throw new EslInvalidCommandError(`header name contains a colon: ${name}`);
      size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value, 'utf8') + 3;
    }
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.write(command, 0, 'utf8');
  if (pairs !== undefined) {
    for (const [name, value] of pairs) {
      out[at++] = LF;
      at += out.write(name, at, 'utf8');
      out[at++] = 0x3a; // ':'
      out[at++] = 0x20; // ' '
      at += out.write(value, at, 'utf8');
    }
  }
  out[at++] = LF;
  out[at++] = LF;
  return out;
}
