/**
 * Incremental ESL frame parser. Pure: `feed(bytes)` returns the frames completed by those bytes.
 *
 * A frame is `Name: value\n` header lines ended by a blank line; with `Content-Length`, that many bytes
 * of body follow. A socket read may hold several frames or stop anywhere inside one (transcript fact 3).
 * Never throws: malformed input or a frame over the size limits turns the parser into a failed state and
 * is reported as a typed `EslProtocolError` (the connection then drops that one socket).
 */
import { parseEventText, type EslEvent } from './event.ts';
import { isHeaderLineError, parseHeaderLines, type EslHeaders, type HeaderBlockCache } from './headers.ts';

export type { EslHeaders, RawHeaders } from './headers.ts';
export { rawHeaderPairs } from './headers.ts';
export type { EslEvent } from './event.ts';

interface FrameBase {
  readonly headers: EslHeaders;
  /** The header block as received (see `rawHeaderPairs`). */
  readonly headerText: string;
  readonly body: string | undefined;
}

/** `command/reply`: `Reply-Text` decoded (the `connect` reply's is `+OK\n`, URL-encoded). */
export interface CommandReplyFrame extends FrameBase {
  readonly kind: 'command-reply';
  readonly replyText: string;
}
export interface ApiResponseFrame extends FrameBase {
  readonly kind: 'api-response';
  readonly body: string;
}
export interface EventFrame extends FrameBase {
  readonly kind: 'event';
  readonly event: EslEvent;
}
export interface AuthRequestFrame extends FrameBase {
  readonly kind: 'auth-request';
}
/** `text/disconnect-notice`; `linger` after hangup while lingering, `disconnect` just before FS closes. */
export interface DisconnectNoticeFrame extends FrameBase {
  readonly kind: 'disconnect-notice';
  readonly disposition: 'linger' | 'disconnect' | undefined;
}
export interface UnknownFrame extends FrameBase {
  readonly kind: 'unknown';
  readonly contentType: string | undefined;
}

export type EslFrame =
  | CommandReplyFrame
  | ApiResponseFrame
  | EventFrame
  | AuthRequestFrame
  | DisconnectNoticeFrame
  | UnknownFrame;

export type EslFrameKind = EslFrame['kind'];

export type ProtocolErrorCode =
  | 'header-too-large'
  | 'body-too-large'
  | 'bad-content-length'
  | 'malformed-header'
  | 'malformed-event'
  | 'truncated';

export class EslProtocolError extends Error {
  override readonly name = 'EslProtocolError' as const;
  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ParserLimits {
  /** Largest header block accepted (default 1 MiB). */
  readonly maxHeaderBytes?: number;
  /** Largest Content-Length accepted (default 1 MiB). */
  readonly maxBodyBytes?: number;
}

export interface FeedResult {
  readonly frames: EslFrame[];
  /** Set once the stream is unusable; the parser stays failed and accepts nothing more. */
  readonly error: EslProtocolError | undefined;
}

const MIB = 1024 * 1024;
const LF = 0x0a;

export class EslParser {
  #buf: Buffer = Buffer.alloc(0);
  #start = 0;
  #end = 0;
  /** Where the search for the blank line resumes (avoids rescanning a growing header block). */
  #scanFrom = 0;
  /** Header block parsed, waiting for this many body bytes. */
  #pending: { headers: EslHeaders; headerText: string; length: number } | undefined;
  #error: EslProtocolError | undefined;
  readonly #maxHeader: number;
  readonly #maxBody: number;
  readonly #blocks: HeaderBlockCache | undefined;

  /** `blocks`: small header blocks parsed once for every parser that shares it (a server's connections). */
  constructor(limits: ParserLimits = {}, blocks?: HeaderBlockCache) {
    this.#maxHeader = limits.maxHeaderBytes ?? MIB;
    this.#maxBody = limits.maxBodyBytes ?? MIB;
    this.#blocks = blocks;
  }

  /** Bytes received but not yet part of a complete frame. */
  get bufferedBytes(): number {
    return this.#end - this.#start;
  }

  get error(): EslProtocolError | undefined {
    return this.#error;
  }

  feed(chunk: Uint8Array): FeedResult {
    if (this.#error) return { frames: [], error: this.#error };
    this.#append(chunk);
    const frames: EslFrame[] = [];
    for (;;) {
      const frame = this.#next();
      if (frame === undefined) break;
      frames.push(frame);
    }
    if (this.#start === this.#end) {
      this.#start = 0;
      this.#end = 0;
      this.#scanFrom = 0;
    }
    return { frames, error: this.#error };
  }

  /** Call when the stream ends: reports a frame cut short (e.g. a truncated body). */
  finish(): EslProtocolError | undefined {
    if (this.#error) return this.#error;
    const left = this.#buf.subarray(this.#start, this.#end);
    if (left.length === 0 || left.every((b) => b === LF)) return undefined;
    const what = this.#pending ? `body (${left.length} of ${this.#pending.length} bytes)` : 'header block';
    this.#fail('truncated', `stream ended inside a frame: ${what}`);
    return this.#error;
  }

  #append(chunk: Uint8Array): void {
    const need = this.#end + chunk.length;
    if (need > this.#buf.length) {
      const live = this.#end - this.#start;
      const size = Math.max(live + chunk.length, this.#buf.length * 2, 4096);
      const next = Buffer.allocUnsafe(size);
      this.#buf.copy(next, 0, this.#start, this.#end);
      this.#scanFrom -= this.#start;
      this.#start = 0;
      this.#end = live;
      this.#buf = next;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  #fail(code: ProtocolErrorCode, message: string): undefined {
    this.#error = new EslProtocolError(code, message);
    return undefined;
  }

  #next(): EslFrame | undefined {
    if (this.#error) return undefined;
    if (this.#pending) return this.#takeBody();
    // Blank lines between frames carry nothing.
    while (this.#start < this.#end && this.#buf[this.#start] === LF) this.#start++;
    if (this.#scanFrom < this.#start) this.#scanFrom = this.#start;
    if (this.#start === this.#end) return undefined;
    const view = this.#buf.subarray(0, this.#end);
    const blank = view.indexOf('\n\n', Math.max(this.#scanFrom - 1, this.#start), 'latin1');
    if (blank === -1) {
      this.#scanFrom = this.#end;
      if (this.#end - this.#start > this.#maxHeader) {
        return this.#fail('header-too-large', `header block over ${this.#maxHeader} bytes`);
      }
      return undefined;
    }
    if (blank - this.#start > this.#maxHeader) {
      return this.#fail('header-too-large', `header block over ${this.#maxHeader} bytes`);
    }
    const text = this.#buf.toString('utf8', this.#start, blank);
    this.#start = blank + 2;
    this.#scanFrom = this.#start;
    const block = this.#blocks ? this.#blocks.parse(text) : parseHeaderLines(text);
    if (isHeaderLineError(block)) {
      return this.#fail('malformed-header', `header line without a colon: ${JSON.stringify(block.line.slice(0, 80))}`);
    }
    const lengthText = block.headers['Content-Length'];
    if (lengthText === undefined) return this.#build(block.headers, block.headerText, undefined);
    const length = /^\d{1,10}$/.test(lengthText.trim()) ? Number(lengthText.trim()) : Number.NaN;
    if (!Number.isSafeInteger(length)) {
      return this.#fail('bad-content-length', `bad Content-Length ${JSON.stringify(lengthText.slice(0, 40))}`);
    }
    if (length > this.#maxBody) return this.#fail('body-too-large', `Content-Length ${length} over ${this.#maxBody}`);
    this.#pending = { headers: block.headers, headerText: block.headerText, length };
    return this.#takeBody();
  }

  #takeBody(): EslFrame | undefined {
    const pending = this.#pending;
    if (!pending || this.#end - this.#start < pending.length) return undefined;
    // A view, not a copy: #build decodes it before the buffer is touched again.
    const body = this.#buf.subarray(this.#start, this.#start + pending.length);
    this.#start += pending.length;
    this.#scanFrom = this.#start;
    this.#pending = undefined;
    return this.#build(pending.headers, pending.headerText, body);
  }

  #build(headers: EslHeaders, headerText: string, bodyBytes: Buffer | undefined): EslFrame | undefined {
    const contentType = headers['Content-Type'];
    // Decoded once: an event's header block is read from this text (see parseEventText).
    const body = bodyBytes?.toString('utf8');
    switch (contentType) {
      case 'command/reply':
        return { kind: 'command-reply', headers, headerText, body, replyText: headers['Reply-Text'] ?? '' };
      case 'api/response':
        return { kind: 'api-response', headers, headerText, body: body ?? '' };
      case 'auth/request':
        return { kind: 'auth-request', headers, headerText, body };
      case 'text/disconnect-notice': {
        const d = headers['Content-Disposition'];
        const disposition = d === 'linger' || d === 'disconnect' ? d : undefined;
        return { kind: 'disconnect-notice', headers, headerText, body, disposition };
      }
      case 'text/event-plain': {
        const parsed = parseEventText(body ?? '', bodyBytes ?? Buffer.alloc(0));
        if (!parsed.ok) return this.#fail('malformed-event', parsed.reason);
        return { kind: 'event', headers, headerText, body, event: parsed.event };
      }
      default:
        return { kind: 'unknown', headers, headerText, body, contentType };
    }
  }
}
