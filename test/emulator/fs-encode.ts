/**
 * FreeSWITCH's wire encodings, as the transcripts show them.
 * - `fsUrlEncode` is switch_url_encode: bytes < 0x20, > 0x7e and `\r\n "#%&+:;<=>?@[\]^`{|}'` are
 *   %XX-encoded (upper-case hex); `/ , ( )` stay raw; an existing `%XX` is NOT re-encoded (fact 2).
 * - frames: header lines, blank line, optional Content-Length body.
 */
const UNSAFE = new Set([...'\r\n "#%&+:;<=>?@[\\]^`{|}\'']);
const HEX = '0123456789ABCDEF';

export function fsUrlEncode(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const ch = String.fromCharCode(b);
    const keepsEscape = ch === '%' && HEX.includes(String.fromCharCode(bytes[i + 1] ?? 0)) && HEX.includes(String.fromCharCode(bytes[i + 2] ?? 0));
    if (!keepsEscape && (b < 0x20 || b > 0x7e || UNSAFE.has(ch))) out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
    else out += ch;
  }
  return out;
}

export type Pairs = Array<readonly [string, string]>;

/** Header lines with values URL-encoded the FreeSWITCH way. */
export function encodePairs(pairs: Pairs): string {
  return pairs.map(([k, v]) => `${k}: ${fsUrlEncode(v)}\n`).join('');
}

/** Header lines with values exactly as given. */
export function rawPairs(pairs: Pairs): string {
  return pairs.map(([k, v]) => `${k}: ${v}\n`).join('');
}

export function commandReply(replyText: string, extra: Pairs = []): Buffer {
  return Buffer.from(`Content-Type: command/reply\nReply-Text: ${replyText}\n${rawPairs(extra)}\n`);
}

export function apiResponse(body: string): Buffer {
  return Buffer.from(`Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`);
}

/** `text/event-plain`: outer Content-Length + Content-Type, the encoded headers, optional inner body. */
export function eventPlain(pairs: Pairs, innerBody?: string): Buffer {
  let body = encodePairs(pairs);
  if (innerBody !== undefined) body += `Content-Length: ${Buffer.byteLength(innerBody)}\n\n${innerBody}`;
  else body += '\n';
  return Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\nContent-Type: text/event-plain\n\n${body}`);
}

export const GOODBYE = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';

export function lingerNotice(uuid: string, channelName: string, lingerTime: number): Buffer {
  return Buffer.from(
    `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${uuid}\nContent-Disposition: linger\n` +
      `Channel-Name: ${channelName}\nLinger-Time: ${lingerTime}\nContent-Length: 0\n\n`,
  );
}

/** Outbound: with the session uuid and a disposition; inbound `exit`: neither. */
export function disconnectNotice(uuid?: string): Buffer {
  const session = uuid === undefined ? '' : `Controlled-Session-UUID: ${uuid}\nContent-Disposition: disconnect\n`;
  return Buffer.from(`Content-Type: text/disconnect-notice\n${session}Content-Length: ${GOODBYE.length}\n\n${GOODBYE}`);
}

export const AUTH_REQUEST = Buffer.from('Content-Type: auth/request\n\n');
