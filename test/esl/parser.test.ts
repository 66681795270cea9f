import { describe, expect, it } from 'vitest';
import { EslParser, type EslFrame } from '../../src/esl/parser.ts';
import { HeaderBlockCache, parseHeaderLines, safeDecode } from '../../src/esl/headers.ts';
import { EslCommandError, classifyText, parseApiBody } from '../../src/esl/replies.ts';
import { fsUrlEncode } from '../emulator/fs-encode.ts';

const SAMPLE = Buffer.from(
  'Content-Type: command/reply\nReply-Text: +OK Events Enabled\n\n' +
    'Content-Type: api/response\nContent-Length: 4\n\n+OK\n' +
    'Content-Length: 120\nContent-Type: text/event-plain\n\n' +
    'Event-Name: BACKGROUND_JOB\nJob-UUID: j-1\nApp: tone_stream%3A//%25(500,0,440)\nContent-Length: 14\n\n-ERR USER_BUSY' +
    '\n'.repeat(0) +
    'Content-Type: text/disconnect-notice\nControlled-Session-UUID: u\nContent-Disposition: linger\nContent-Length: 0\n\n' +
    'Content-Type: auth/request\n\n',
);

// Fix the event's outer Content-Length to the real body size.
function sample(): Buffer {
  const text = SAMPLE.toString('utf8');
  const body = 'Event-Name: BACKGROUND_JOB\nJob-UUID: j-1\nApp: tone_stream%3A//%25(500,0,440)\nContent-Length: 14\n\n-ERR USER_BUSY';
  return Buffer.from(text.replace('Content-Length: 120', `Content-Length: ${Buffer.byteLength(body)}`));
}

function kinds(frames: EslFrame[]): string[] {
  return frames.map((f) => f.kind);
}

describe('EslParser', () => {
  it('parses several frames from one read into typed frames', () => {
    const { frames, error } = new EslParser().feed(sample());
    expect(error).toBeUndefined();
    expect(kinds(frames)).toEqual(['command-reply', 'api-response', 'event', 'disconnect-notice', 'auth-request']);
    const [reply, api, ev, notice] = frames;
    expect(reply?.kind === 'command-reply' && reply.replyText).toBe('+OK Events Enabled');
    expect(api?.kind === 'api-response' && api.body).toBe('+OK\n');
    if (ev?.kind !== 'event') throw new Error('not an event');
    expect(ev.event.name).toBe('BACKGROUND_JOB');
    expect(ev.event.headers['App']).toBe('tone_stream://%(500,0,440)');
    expect(ev.event.body).toBe('-ERR USER_BUSY');
    expect(notice?.kind === 'disconnect-notice' && notice.disposition).toBe('linger');
  });

  it('gives the same frames when the bytes are split at every boundary', () => {
    const bytes = sample();
    const whole = new EslParser().feed(bytes).frames;
    for (let i = 1; i < bytes.length; i++) {
      const p = new EslParser();
      const frames = [...p.feed(bytes.subarray(0, i)).frames, ...p.feed(bytes.subarray(i)).frames];
      expect(frames, `split at ${i}`).toEqual(whole);
      expect(p.bufferedBytes).toBe(0);
    }
    const p = new EslParser();
    const oneByOne = [...bytes].flatMap((b) => p.feed(Buffer.from([b])).frames);
    expect(oneByOne).toEqual(whole);
  });

  it('parsers sharing a HeaderBlockCache give the same frames; small blocks are parsed once and kept frozen, bounded', () => {
    const bytes = sample();
    const whole = new EslParser().feed(bytes).frames;
    const blocks = new HeaderBlockCache({ maxEntries: 3 });
    const first = new EslParser({}, blocks).feed(bytes).frames;
    const second = new EslParser({}, blocks).feed(bytes).frames;
    expect(first).toEqual(whole);
    expect(second).toEqual(whole);
    expect(blocks.size).toBe(3); // five small blocks, three kept
    expect(second[0]!.headers).toBe(first[0]!.headers); // one parse served both connections
    expect(Object.isFrozen(first[0]!.headers)).toBe(true);
    // A malformed block is never kept: it fails again, for every parser.
    const bad = new HeaderBlockCache();
    for (let i = 0; i < 2; i++) expect(new EslParser({}, bad).feed(Buffer.from('Content-Type command/reply\n\n')).error?.code).toBe('malformed-header');
    expect(bad.size).toBe(0);
  });

  it('a HeaderBlockCache with maxChars ≥ 512 keeps long blocks as frozen plain headers (freezing their lazy view threw)', () => {
    // Root cause: blocks of 512+ characters parse into a lazy Proxy view whose keys are not its target's,
    // so Object.freeze (preventExtensions, then defining every key non-configurable) threw a TypeError
    // out of feed(), and the connection dropped the socket.
    const lines = Array.from({ length: 40 }, (_, i) => `Variable-Number-${i}: value%20${i}`);
    const text = ['Content-Type: command/reply', 'Reply-Text: +OK', ...lines].join('\n');
    expect(text.length).toBeGreaterThanOrEqual(512);
    const blocks = new HeaderBlockCache({ maxChars: 4096 });
    const block = blocks.parse(text);
    if ('line' in block) throw new Error('malformed');
    expect(Object.isFrozen(block.headers)).toBe(true);
    expect([block.headers['Reply-Text'], block.headers['Variable-Number-39'], block.headers['nope']]).toEqual(['+OK', 'value 39', undefined]);
    expect(blocks.parse(text)).toBe(block);
    expect(blocks.size).toBe(1);
    // Through the frame parser, as a connection sharing the server's cache would read it.
    const p = new EslParser({}, blocks);
    const { frames, error } = p.feed(Buffer.from(`${text}\n\nContent-Type: auth/request\n\n`));
    expect(error).toBeUndefined();
    expect(kinds(frames)).toEqual(['command-reply', 'auth-request']);
    expect(frames[0]!.headers).toBe(block.headers);
    expect(frames).toEqual(new EslParser().feed(Buffer.from(`${text}\n\nContent-Type: auth/request\n\n`)).frames);
  });

  it('long header blocks of short lines (more lines than the index guess) read the same as a full parse', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `h${i}: v${i}`);
    const text = [...lines, 'h7: last'].join('\n');
    expect(text.length).toBeGreaterThan(512);
    const block = parseHeaderLines(text);
    if ('line' in block) throw new Error('malformed');
    expect([block.headers['h0'], block.headers['h299'], block.headers['h7'], block.headers['nope']]).toEqual(['v0', 'v299', 'last', undefined]);
    expect(Object.keys(block.headers)).toHaveLength(300);
  });

  it('counts Content-Length in bytes, not characters', () => {
    const body = 'Event-Name: CUSTOM\nX: é€\n\n';
    const frame = `Content-Length: ${Buffer.byteLength(body)}\nContent-Type: text/event-plain\n\n${body}`;
    const { frames } = new EslParser().feed(Buffer.from(frame + 'Content-Type: auth/request\n\n'));
    expect(kinds(frames)).toEqual(['event', 'auth-request']);
  });

  it('keeps a bad %-escape raw instead of throwing', () => {
    expect(safeDecode('100%zz%E0%A4%A')).toBe('100%zz%E0%A4%A');
    expect(safeDecode('bad %E0%A4 then %E2%82%AC')).toBe('bad %E0%A4 then €');
    expect(safeDecode('%2BOK%0A')).toBe('+OK\n');
    const body = 'Event-Name: CUSTOM\nOdd: 50%%zz\n\n';
    const { frames, error } = new EslParser().feed(
      Buffer.from(`Content-Length: ${body.length}\nContent-Type: text/event-plain\n\n${body}`),
    );
    expect(error).toBeUndefined();
    expect(frames[0]?.kind === 'event' && frames[0].event.headers['Odd']).toBe('50%%zz');
  });

  it('decodes what FreeSWITCH encodes (fact 2: / , ( ) stay raw; %XX not re-encoded)', () => {
    expect(fsUrlEncode('tone_stream://%(500,0,440)')).toBe('tone_stream%3A//%25(500,0,440)');
    expect(fsUrlEncode('1 1 3 3000 # x [1-4]')).toBe('1%201%203%203000%20%23%20x%20%5B1-4%5D');
    expect(fsUrlEncode('a%20b')).toBe('a%20b');
    expect(safeDecode(fsUrlEncode('sip:1000@127.0.0.1:5080 "x"'))).toBe('sip:1000@127.0.0.1:5080 "x"');
  });

  it('reports a truncated body at end of stream', () => {
    const p = new EslParser();
    const { frames } = p.feed(Buffer.from('Content-Length: 50\nContent-Type: text/event-plain\n\nEvent-Name: X'));
    expect(frames).toEqual([]);
    expect(p.finish()?.code).toBe('truncated');
    expect(new EslParser().finish()).toBeUndefined();
  });

  it('fails with a typed error on oversized or malformed input, and stays failed', () => {
    const small = { maxHeaderBytes: 64, maxBodyBytes: 32 };
    expect(new EslParser(small).feed(Buffer.from('X: '.padEnd(100, 'a'))).error?.code).toBe('header-too-large');
    expect(new EslParser(small).feed(Buffer.from('Content-Length: 33\n\n')).error?.code).toBe('body-too-large');
    expect(new EslParser().feed(Buffer.from('Content-Length: abc\n\n')).error?.code).toBe('bad-content-length');
    const p = new EslParser();
    const r = p.feed(Buffer.from('not a header\n\n'));
    expect(r.error?.name).toBe('EslProtocolError');
    expect(r.error?.code).toBe('malformed-header');
    expect(p.feed(Buffer.from('Content-Type: auth/request\n\n')).frames).toEqual([]);
    const noName = 'Foo: bar\n\n';
    expect(
      new EslParser().feed(Buffer.from(`Content-Length: ${noName.length}\nContent-Type: text/event-plain\n\n${noName}`)).error
        ?.code,
    ).toBe('malformed-event');
  });
});

describe('replies', () => {
  it('classifies +OK / -ERR once', () => {
    expect(classifyText('+OK will linger')).toEqual({ ok: true, rest: 'will linger' });
    expect(classifyText('-ERR invalid session id [abc]')).toEqual({ ok: false, rest: 'invalid session id [abc]' });
    const r = parseApiBody('api originate x', '-ERR USER_BUSY\n');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toBeInstanceOf(EslCommandError);
      expect(r.error.name).toBe('EslCommandError');
      expect(r.error.reason).toBe('USER_BUSY');
    }
    const status = parseApiBody('api status', 'UP 0 years\n');
    expect(status.ok && status.text).toBe('UP 0 years');
  });

  it('mod_commands\' own error forms are errors too: -ERROR (uuid_answer of a channel gone, real switch), -USAGE', () => {
    expect(parseApiBody('api uuid_answer x', '-ERROR\n').ok).toBe(false);
    expect(classifyText('-USAGE: <uuid>')).toEqual({ ok: false, rest: 'USAGE: <uuid>' });
    expect(classifyText('-ERROR')).toEqual({ ok: false, rest: 'ERROR' });
  });
});
