/**
 * Splits what the server writes into commands, as mod_event_socket's read_packet does: a line, optional
 * `Name: value` headers (names case-insensitive: kept lower-case here), a blank line, then `content-length`
 * bytes of body when that header is present.
 */
export interface ServerCommand {
  readonly line: string;
  /** Header names lower-cased. */
  readonly headers: Map<string, string>;
  /** The body announced by `content-length`, if any. */
  readonly body?: string;
}

export class CommandReader {
  #buffer: Buffer = Buffer.alloc(0);

  feed(chunk: Buffer): ServerCommand[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const out: ServerCommand[] = [];
    for (;;) {
      let start = 0;
      while (start < this.#buffer.length && this.#buffer[start] === 0x0a) start++;
      const end = this.#buffer.indexOf('\n\n', start);
      if (end === -1) {
        this.#buffer = this.#buffer.subarray(start);
        return out;
      }
      const [line = '', ...rest] = this.#buffer.subarray(start, end).toString('utf8').split('\n');
      const headers = new Map<string, string>();
      for (const h of rest) {
        const colon = h.indexOf(':');
        if (colon > 0) headers.set(h.slice(0, colon).trim().toLowerCase(), h.slice(colon + 1).trim());
      }
      const length = Number(headers.get('content-length') ?? 0);
      const bodyAt = end + 2;
      if (length > 0 && this.#buffer.length < bodyAt + length) {
        this.#buffer = this.#buffer.subarray(start);
        return out;
      }
      const body = length > 0 ? this.#buffer.subarray(bodyAt, bodyAt + length).toString('utf8') : undefined;
      this.#buffer = this.#buffer.subarray(bodyAt + Math.max(0, length));
      out.push(body === undefined ? { line: line.trim(), headers } : { line: line.trim(), headers, body });
    }
  }
}
