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
  // Hot path (an event carries ~150 headers): one pass with indexOf, no per-line arrays.
  let start = 0;
  const end = text.length;
  while (start < end) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = end;
    if (nl > start) {
      const colon = text.indexOf(':', start);
      if (colon <= start || colon > nl) return { line: text.slice(start, nl) };
      let name = text.slice(start, colon);
      if (name.charCodeAt(0) === 32 || name.charCodeAt(name.length - 1) === 32) name = name.trim();
      let vs = colon + 1;
      if (text.charCodeAt(vs) === 32) vs++;
      let ve = nl;
      if (ve > vs && text.charCodeAt(ve - 1) === 13) ve--;
      headers[name] = safeDecode(text.slice(vs, ve));
    }
    start = nl + 1;
  }
  return { headers, rawHeaders: lazyRawHeaders(text) };
}

/** Name/value pairs in wire order, built only if someone looks (tests, diagnostics). */
function lazyRawHeaders(text: string): RawHeaders {
  let real: Array<readonly [string, string]> | undefined;
  const materialize = (): Array<readonly [string, string]> => {
    if (real) return real;
    real = [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const colon = line.indexOf(':');
      let value = line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (value.endsWith('\r')) value = value.slice(0, -1);
      real.push([line.slice(0, colon).trim(), value] as const);
    }
    return real;
  };
  return new Proxy([] as Array<readonly [string, string]>, {
    get: (_t, prop) => {
      const arr = materialize();
      const v = Reflect.get(arr, prop, arr) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(arr) : v;
    },
    has: (_t, prop) => Reflect.has(materialize(), prop),
    ownKeys: () => Reflect.ownKeys(materialize()),
    getOwnPropertyDescriptor: (_t, prop) => Reflect.getOwnPropertyDescriptor(materialize(), prop),
  });
}

export function isHeaderLineError(x: ParsedHeaderBlock | HeaderLineError): x is HeaderLineError {
  return 'line' in x;
}

/**
 * A read-only view of the headers that start with `prefix`, keyed without it (e.g. channel variables
 * `variable_*`). Nothing is copied: an event has ~150 headers and callers read a few.
 */
export function prefixedView(headers: EslHeaders, prefix: string): Readonly<Record<string, string>> {
  const key = (name: string | symbol) => (typeof name === 'string' ? prefix + name : '');
  return new Proxy(Object.create(null) as Record<string, string>, {
    get: (_t, name) => headers[key(name)],
    has: (_t, name) => key(name) in headers,
    ownKeys: () => Object.keys(headers).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)),
    getOwnPropertyDescriptor: (_t, name) => {
      const v = headers[key(name)];
      return v === undefined ? undefined : { value: v, enumerable: true, configurable: true, writable: false };
    },
  });
}
