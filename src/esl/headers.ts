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
  /** The block as received; `rawHeaderPairs` splits it when wire order matters (tests, diagnostics). */
  readonly headerText: string;
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

/** Blocks shorter than this are parsed at once (a reply's few headers); longer ones are read on demand. */
const LAZY_MIN_CHARS = 512;

/**
 * Parses `Name: value` lines (already split off the blank line). Returns an error for a line without a
 * colon; a header that repeats keeps its last value in `headers` and every occurrence in `rawHeaderPairs(headerText)`.
 *
 * An event carries ~150 headers and the call code reads a handful, so a long block is not split into
 * strings up front: one pass records where each line's name and value are, and `headers` is a read-only
 * view that finds and decodes a header when it is read (same answers as the full parse, which it falls
 * back to when enumerated or written).
 */
export function parseHeaderLines(text: string): ParsedHeaderBlock | HeaderLineError {
  const lines = text.length >= LAZY_MIN_CHARS ? indexLines(text) : undefined;
  if (lines) return { headers: new Proxy(new HeaderText(text, lines), HEADER_VIEW) as unknown as EslHeaders, headerText: text };
  return parseEager(text);
}

/** `parseHeaderLines` without the lazy view: `headers` is a plain (null-prototype) object, whatever the size. */
function parseEager(text: string): ParsedHeaderBlock | HeaderLineError {
  const full = parseAll(text);
  return typeof full === 'string' ? { line: full } : { headers: full, headerText: text };
}

/**
 * `[lineStart, colon, lineEnd]` per non-empty line, or undefined when the block needs the full parse:
 * a line without a colon or with an empty name (malformed: the full parse reports it), or a name with a
 * leading/trailing space (the full parse trims it).
 */
function indexLines(text: string): number[] | undefined {
  const offsets: number[] = [];
  let start = 0;
  const end = text.length;
  while (start < end) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = end;
    if (nl > start) {
      const colon = text.indexOf(':', start);
      if (colon <= start || colon > nl) return undefined;
      if (text.charCodeAt(start) === 32 || text.charCodeAt(colon - 1) === 32) return undefined;
      offsets.push(start, colon, nl);
    }
    start = nl + 1;
  }
  return offsets;
}

/** Every header, decoded; or the first malformed line. */
function parseAll(text: string): Record<string, string> | string {
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  // One pass with indexOf, no per-line arrays.
  let start = 0;
  const end = text.length;
  while (start < end) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = end;
    if (nl > start) {
      const colon = text.indexOf(':', start);
      if (colon <= start || colon > nl) return text.slice(start, nl);
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
  return headers;
}

/** The state behind a lazy header view: the block's text, its line index, and the full parse once needed. */
class HeaderText {
  readonly #text: string;
  readonly #lines: readonly number[];
  #all: Record<string, string> | undefined;

  constructor(text: string, lines: readonly number[]) {
    this.#text = text;
    this.#lines = lines;
  }

  all(): Record<string, string> {
    // indexLines accepted every line, so the full parse cannot fail.
    this.#all ??= parseAll(this.#text) as Record<string, string>;
    return this.#all;
  }

  /** The decoded value of the last line named `name`, exactly as `parseAll` would keep it. */
  get(name: string): string | undefined {
    if (this.#all) return this.#all[name];
    const text = this.#text;
    const lines = this.#lines;
    const length = name.length;
    for (let i = lines.length - 3; i >= 0; i -= 3) {
      const start = lines[i]!;
      const colon = lines[i + 1]!;
      if (colon - start !== length || !text.startsWith(name, start)) continue;
      let vs = colon + 1;
      if (text.charCodeAt(vs) === 32) vs++;
      let ve = lines[i + 2]!;
      if (ve > vs && text.charCodeAt(ve - 1) === 13) ve--;
      return safeDecode(text.slice(vs, ve));
    }
    return undefined;
  }
}

interface LazyHeaders {
  get(name: string): string | undefined;
  all(): Record<string, string>;
}

/** One handler for every lazy header view (no closures per frame). */
const HEADER_VIEW: ProxyHandler<LazyHeaders> = {
  get: (t, name) => (typeof name === 'string' ? t.get(name) : undefined),
  has: (t, name) => typeof name === 'string' && t.get(name) !== undefined,
  ownKeys: (t) => Reflect.ownKeys(t.all()),
  getOwnPropertyDescriptor: (t, name) => {
    const v = typeof name === 'string' ? t.get(name) : undefined;
    return v === undefined ? undefined : { value: v, enumerable: true, configurable: true, writable: true };
  },
  getPrototypeOf: () => null,
  // Writes (nobody should) land in the full parse, as they did on the plain object this view replaces.
  set: (t, name, value) => Reflect.set(t.all(), name, value),
  defineProperty: (t, name, desc) => Reflect.defineProperty(t.all(), name, desc),
  deleteProperty: (t, name) => Reflect.deleteProperty(t.all(), name),
};

/** A header block's name/value pairs in wire order, values as received (not URL-decoded). */
export function rawHeaderPairs(headerText: string): RawHeaders {
  const pairs: Array<readonly [string, string]> = [];
  for (const line of headerText.split('\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    let value = line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (value.endsWith('\r')) value = value.slice(0, -1);
    pairs.push([line.slice(0, colon).trim(), value] as const);
  }
  return pairs;
}

/**
 * Parsed small header blocks by their text, shared by every connection of a server: the blocks of
 * replies (`Reply-Text: +OK`, `+OK will linger`, …) and of most event frames repeat on every call, and
 * one parse serves them all. Bounded: blocks over `maxChars` are not kept, and once `maxEntries` are
 * kept nothing more is added. Kept headers are frozen (every frame that read them shares them).
 */
export class HeaderBlockCache {
  readonly #blocks = new Map<string, ParsedHeaderBlock>();
  readonly #maxChars: number;
  readonly #maxEntries: number;

  constructor(options: { maxChars?: number; maxEntries?: number } = {}) {
    this.#maxChars = options.maxChars ?? 160;
    this.#maxEntries = options.maxEntries ?? 256;
  }

  get size(): number {
    return this.#blocks.size;
  }

  parse(text: string): ParsedHeaderBlock | HeaderLineError {
    if (text.length > this.#maxChars) return parseHeaderLines(text);
    const hit = this.#blocks.get(text);
    if (hit) return hit;
    if (this.#blocks.size >= this.#maxEntries) return parseHeaderLines(text);
    // A kept block is parsed in full: it is read by every frame that repeats it, and a lazy view
    // (a Proxy over text) cannot be frozen: its keys are not the target's (a TypeError from freeze).
    const block = parseEager(text);
    if (isHeaderLineError(block)) return block;
    const kept = { headers: Object.freeze(block.headers), headerText: text };
    this.#blocks.set(text, kept);
    return kept;
  }
}

export function isHeaderLineError(x: ParsedHeaderBlock | HeaderLineError): x is HeaderLineError {
  return 'line' in x;
}

/**
 * A read-only view of the headers that start with `prefix`, keyed without it (e.g. channel variables
 * `variable_*`). Nothing is copied: an event has ~150 headers and callers read a few.
 */
export function prefixedView(headers: EslHeaders, prefix: string): Readonly<Record<string, string>> {
  return new Proxy(new Prefixed(headers, prefix), PREFIXED_VIEW) as unknown as Readonly<Record<string, string>>;
}

class Prefixed {
  constructor(
    readonly headers: EslHeaders,
    readonly prefix: string,
  ) {}
}

const prefixedKey = (t: Prefixed, name: string | symbol): string => (typeof name === 'string' ? t.prefix + name : '');

const PREFIXED_VIEW: ProxyHandler<Prefixed> = {
  get: (t, name) => t.headers[prefixedKey(t, name)],
  has: (t, name) => prefixedKey(t, name) in t.headers,
  ownKeys: (t) => Object.keys(t.headers).filter((k) => k.startsWith(t.prefix)).map((k) => k.slice(t.prefix.length)),
  getOwnPropertyDescriptor: (t, name) => {
    const v = t.headers[prefixedKey(t, name)];
    return v === undefined ? undefined : { value: v, enumerable: true, configurable: true, writable: false };
  },
  getPrototypeOf: () => null,
  // Like the empty object this view used to wrap: a write is accepted and changes nothing visible.
  set: () => true,
};
