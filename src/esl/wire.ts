/**
 * Serialising commands. A command is its line, optional `Name: value` header lines, and a blank line.
 * A newline inside any part would inject a second command, so it is refused.
 */
export type CommandHeaders = Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>;

export class EslInvalidCommandError extends Error {
  override readonly name = 'EslInvalidCommandError' as const;
}

function checkPart(part: string, what: string): void {
  if (part.includes('\n') || part.includes('\r')) throw new EslInvalidCommandError(`${what} contains a newline: ${JSON.stringify(part.slice(0, 60))}`);
}

export function formatCommand(command: string, headers?: CommandHeaders): Buffer {
  checkPart(command, 'command');
  let text = command;
  if (headers !== undefined) {
    const pairs = (Array.isArray(headers) ? headers : Object.entries(headers)) as ReadonlyArray<readonly [string, string]>;
    for (const [name, value] of pairs) {
      checkPart(name, 'header name');
      checkPart(value, `header ${name}`);
      if (name.includes(':')) throw new EslInvalidCommandError(`header name contains a colon: ${name}`);
      text += `\n${name}: ${value}`;
    }
  }
  return Buffer.from(`${text}\n\n`, 'utf8');
}
