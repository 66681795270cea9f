/**
 * Replays every captured FreeSWITCH session byte-for-byte (each `in` chunk exactly as read) into the
 * production parser and checks the facts in the transcripts' README.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EslParser, rawHeaderPairs, type EslFrame } from '../../src/esl/parser.ts';
import { parseChannelData } from '../../src/esl/channel-data.ts';
import { TRANSCRIPT_DIR, findTranscript, frameSignature, haveTranscripts, loadChunks, requireTranscriptsInCi, transcriptFiles } from './transcripts.ts';

requireTranscriptsInCi('transcript replay');

function replay(file: string): { frames: EslFrame[]; commands: string[]; parser: EslParser } {
  const parser = new EslParser();
  const frames: EslFrame[] = [];
  const commands: string[] = [];
  for (const chunk of loadChunks(file)) {
    if (chunk.dir === 'in') {
      const r = parser.feed(Buffer.from(chunk.data, 'utf8'));
      expect(r.error, `${file}: ${r.error?.message}`).toBeUndefined();
      frames.push(...r.frames);
    } else if (chunk.dir === 'out') {
      commands.push(...chunk.data.split('\n\n').filter((c) => c !== ''));
    }
  }
  return { frames, commands, parser };
}

describe.skipIf(!haveTranscripts)('transcript replay', () => {
  if (!haveTranscripts) it.skip(`transcripts folder missing: ${TRANSCRIPT_DIR}`, () => undefined);

  it('finds the captured sessions', () => {
    expect(transcriptFiles().length).toBeGreaterThanOrEqual(15);
  });

  for (const file of transcriptFiles()) {
    it(`${file}: frames, replies, connect data, notices`, () => {
      const { frames, commands, parser } = replay(file);
      expect(parser.bufferedBytes).toBe(0);
      expect(parser.finish()).toBeUndefined();
      // Every command got exactly one reply (command/reply or api/response), in order.
      const replies = frames.filter((f) => f.kind === 'command-reply' || f.kind === 'api-response');
      expect(replies.length).toBe(commands.length);
      commands.forEach((c, i) => {
        const reply = replies[i]!;
        expect(reply.kind, c).toBe(c.startsWith('api ') ? 'api-response' : 'command-reply');
      });
      expect(frames.every((f) => f.kind !== 'unknown' && f.kind !== 'auth-request')).toBe(true);
      // Fact 1: the connect reply carries the channel data; Content-Type is not first; no Content-Length.
      const connect = frames[0]!;
      expect(commands[0]).toBe('connect');
      expect(connect.kind).toBe('command-reply');
      if (connect.kind !== 'command-reply') return;
      expect(connect.replyText).toBe('+OK\n');
      expect(connect.headers['Unique-ID']).toMatch(/^[0-9a-f-]{36}$/);
      expect(rawHeaderPairs(connect.headerText)[0]?.[0]).toBe('Event-Name');
      expect(rawHeaderPairs(connect.headerText).findIndex(([n]) => n === 'Content-Type')).toBeGreaterThan(0);
      expect(connect.headers['Content-Length']).toBeUndefined();
      const channel = parseChannelData(connect.headers);
      expect(channel.uuid).toBe(connect.headers['Unique-ID']);
      expect(channel.destinationNumber).not.toBe('');
      // Every event has an Event-Name and concerns this channel; CHANNEL_DESTROY never arrives (fact 6).
      const events = frames.flatMap((f) => (f.kind === 'event' ? [f.event] : []));
      expect(events.length).toBeGreaterThan(0);
      for (const e of events) {
        expect(e.name).not.toBe('');
        expect(e.name).not.toBe('CHANNEL_DESTROY');
        expect(e.uniqueId).toBe(channel.uuid);
      }
      // The session ends with a `disconnect` notice; the linger notice precedes it.
      const notices = frames.flatMap((f) => (f.kind === 'disconnect-notice' ? [f] : []));
      expect(notices.at(-1)?.disposition).toBe('disconnect');
      expect(frames.at(-1)?.kind).toBe('disconnect-notice');
      expect(notices[0]?.disposition).toBe('linger');
      expect(notices[0]?.headers['Controlled-Session-UUID']).toBe(channel.uuid);
      // Fact 4: each app's Event-UUID comes back as Application-UUID on its CHANNEL_EXECUTE.
      for (const c of commands.filter((x) => x.includes('call-command: execute'))) {
        const id = /Event-UUID: (\S+)/.exec(c)?.[1];
        const executed = events.some((e) => e.name === 'CHANNEL_EXECUTE' && e.headers['Application-UUID'] === id);
        const afterHangup = events.findIndex((e) => e.name === 'CHANNEL_HANGUP') < events.length && !executed;
        expect(executed || afterHangup, c).toBe(true);
      }
    });
  }

  it('call-d: hangup during play_and_get_digits (facts 5, 6)', () => {
    const { frames } = replay(findTranscript('call-d_'));
    const sig = frames.map(frameSignature);
    const hangup = sig.indexOf('event CHANNEL_HANGUP');
    const pagdDone = sig.indexOf('event CHANNEL_EXECUTE_COMPLETE play_and_get_digits');
    expect(hangup).toBeGreaterThan(0);
    expect(hangup).toBeLessThan(pagdDone);
    const pagd = frames[pagdDone];
    expect(pagd?.kind === 'event' && pagd.event.headers['variable_read_result']).toBe('failure');
    expect(sig.slice(hangup)).toEqual([
      'event CHANNEL_HANGUP',
      'event CHANNEL_EXECUTE_COMPLETE play_and_get_digits',
      'event CHANNEL_UNPARK',
      'event CHANNEL_EXECUTE_COMPLETE socket',
      'event CHANNEL_STATE',
      'event CHANNEL_STATE',
      'event CHANNEL_HANGUP_COMPLETE',
      'notice linger',
      // Fact 5: commands after the hangup are still +OK'd, and nothing else comes.
      'reply +OK',
      'reply +OK',
      'reply +OK bye',
      'notice disconnect',
    ]);
  });

  it('call-g default: a failed bridge without continue_on_fail hangs the caller up (fact 9)', () => {
    const { frames } = replay(findTranscript('call-g_recv_bye-bridge-fail-default'));
    const hangup = frames.find((f) => f.kind === 'event' && f.event.name === 'CHANNEL_HANGUP');
    expect(hangup?.kind === 'event' && hangup.event.headers['Hangup-Cause']).toBe('USER_BUSY');
    expect(hangup?.kind === 'event' && hangup.event.headers['variable_originate_disposition']).toBe('USER_BUSY');
  });

  it('call-f: CUSTOM callcenter::info only when subscribed (fact 8)', () => {
    const subscribed = replay(findTranscript('call-f_')).frames.map(frameSignature);
    expect(subscribed.filter((s) => s.startsWith('event CUSTOM callcenter::info'))).toHaveLength(2);
    const notSubscribed = replay(findTranscript('linger3-f_')).frames.map(frameSignature);
    expect(notSubscribed.some((s) => s.startsWith('event CUSTOM'))).toBe(false);
  });

  it('inbound session: auth, api, bgapi + BACKGROUND_JOB with an inner body, exit', () => {
    const text = readFileSync(path.join(TRANSCRIPT_DIR, 'inbound-api-bgapi-events.txt'), 'utf8');
    const chunks = [...text.matchAll(/FS->CLIENT <<< (\d+) bytes -----\n([\s\S]*?)----- end -----/g)];
    const parser = new EslParser();
    const frames = chunks.flatMap((m) => {
      // The display adds a newline before the end marker only when the chunk lacks one.
      const data = Buffer.from(m[2]!, 'utf8').subarray(0, Number(m[1]));
      expect(data.length).toBe(Number(m[1]));
      return parser.feed(data).frames;
    });
    expect(frames[0]?.kind).toBe('auth-request');
    const job = frames.find((f) => f.kind === 'event' && f.event.name === 'BACKGROUND_JOB');
    if (job?.kind !== 'event') throw new Error('no BACKGROUND_JOB');
    expect(job.event.headers['Job-UUID']).toBe('f16621de-6683-4728-b54f-41c802c2b675');
    expect(Buffer.byteLength(job.event.body ?? '')).toBe(385);
    expect(frames.map(frameSignature)).toContain('api -ERR nonexistent_cmd Command not found!');
    expect(frames.at(-1)?.kind).toBe('disconnect-notice');
  });
});
