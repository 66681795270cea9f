/**
 * Header-block helpers shared by the frame parser and the event parser.
 * Pure functions, no I/O. Decoding never throws (see `safeDecode`).
 */

/** Header values keyed by name; a null-prototype object so `__proto__` and friends are plain keys. */
export type EslHeaders = Readonly<Record<string, string>>;

/** Header name/value pairs in wire order, values exactly as received (not URL-decoded). */
export type RawHeaders = ReadonlyArray<readonly [name: string, value: string]>;

export interface ParsedHeaderBlock {
  readonly headers: EslHeaders;
  readonly rawHeaders: RawHeaders;
}

const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

/**
 * URL-decodes a FreeSWITCH header value. FreeSWITCH encodes only some characters and leaves a literal
 * `%` that is not followed by two hex digits alone (transcript fact 2), so `decodeURIComponent` can throw
 * `URIError`. Then each run of valid escapes is decoded on its own and anything undecodable is kept raw.
 */
export function safeDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(ESCAPE_RUN, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

export type HeaderLineError = { readonly line: string };

/**
 * Parses `Name: value` lines (already split off the blank line). Returns an error for a line without a
 * colon; a header that repeats keeps its last value in `headers` and every occurrence in `rawHeaders`.
 */
export function parseHeaderLines(text: string): ParsedHeaderBlock | HeaderLineError {
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  const rawHeaders: Array<readonly [string, string]> = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { line };
    const name = line.slice(0, colon).trim();
    let value = line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (value.endsWith('\r')) value = value.slice(0, -1);
    rawHeaders.push([name, value] as const);
    headers[name] = safeDecode(value);
  }
  return { headers, rawHeaders };
}

export function isHeaderLineError(x: ParsedHeaderBlock | HeaderLineError): x is HeaderLineError {
  return 'line' in x;
}
