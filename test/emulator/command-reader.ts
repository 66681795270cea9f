/** Splits what the server writes into commands: a line, optional `Name: value` headers, a blank line. */
export interface ServerCommand {
  readonly line: string;
  readonly headers: Map<string, string>;
}

export class CommandReader {
  #buffer = '';

  feed(chunk: Buffer): ServerCommand[] {
    this.#buffer += chunk.toString('utf8');
    const out: ServerCommand[] = [];
    for (;;) {
      this.#buffer = this.#buffer.replace(/^\n+/, '');
      const end = this.#buffer.indexOf('\n\n');
      if (end === -1) return out;
      const [line = '', ...rest] = this.#buffer.slice(0, end).split('\n');
      this.#buffer = this.#buffer.slice(end + 2);
      const headers = new Map<string, string>();
      for (const h of rest) {
        const colon = h.indexOf(':');
        if (colon > 0) headers.set(h.slice(0, colon).trim(), h.slice(colon + 1).trim());
      }
      out.push({ line: line.trim(), headers });
    }
  }
}
