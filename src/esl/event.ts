/**
 * `text/event-plain` bodies: a header block, then (BACKGROUND_JOB, api results) an inner Content-Length
 * body. Pure; never throws.
 */
import { isHeaderLineError, parseHeaderLines, type EslHeaders } from './headers.ts';

export interface EslEvent {
  /** `Event-Name` (e.g. CHANNEL_EXECUTE_COMPLETE, CUSTOM, BACKGROUND_JOB). */
  readonly name: string;
  /** `Event-Subclass` for CUSTOM events (decoded, e.g. `callcenter::info`). */
  readonly subclass: string | undefined;
  /** `Unique-ID` of the channel the event is about, when there is one. */
  readonly uniqueId: string | undefined;
  readonly headers: EslHeaders;
  /** The header block as received (see `rawHeaderPairs`). */
  readonly headerText: string;
  /** Inner body (BACKGROUND_JOB result text), when the event carries a Content-Length. */
  readonly body: string | undefined;
}

export type EventParseResult =
  | { readonly ok: true; readonly event: EslEvent }
  | { readonly ok: false; readonly reason: string };

const LF2 = Buffer.from('\n\n');

export function parseEventPlain(body: Buffer): EventParseResult {
  return parseEventText(body.toString('utf8'), body);
}

/**
 * `text` is `bytes` decoded (the frame parser decodes a body once). The header block is cut from the
 * text (the blank line is ASCII, so it splits both alike); only an inner body is cut from the bytes,
 * since its Content-Length counts bytes.
 */
export function parseEventText(text: string, bytes: Buffer): EventParseResult {
  const blank = text.indexOf('\n\n');
  const block = parseHeaderLines(blank === -1 ? text : text.slice(0, blank));
  if (isHeaderLineError(block)) return { ok: false, reason: `malformed event header line: ${block.line.slice(0, 80)}` };
  const { headers, headerText } = block;
  const name = headers['Event-Name'];
  if (name === undefined || name === '') return { ok: false, reason: 'event without Event-Name' };
  let inner: string | undefined;
  const lengthText = headers['Content-Length'];
  if (lengthText !== undefined) {
    const length = Number(lengthText);
    if (!Number.isSafeInteger(length) || length < 0) return { ok: false, reason: `bad inner Content-Length ${lengthText}` };
    let end = bytes.indexOf(LF2);
    end = end === -1 ? bytes.length : end + LF2.length;
    if (bytes.length - end < length) return { ok: false, reason: 'inner body shorter than its Content-Length' };
    inner = bytes.subarray(end, end + length).toString('utf8');
  }
  return {
    ok: true,
    event: {
      name,
      subclass: headers['Event-Subclass'],
      uniqueId: headers['Unique-ID'],
      headers,
      headerText,
      body: inner,
    },
  };
}

/** A channel variable from an event (`variable_<name>`), decoded. */
export function eventVariable(event: Pick<EslEvent, 'headers'>, name: string): string | undefined {
  return event.headers[`variable_${name}`];
}
