/**
 * The emulator's own bytes for the transcripts' scenarios must match the real FreeSWITCH framing,
 * reply texts and event order (call-c, call-d), and its connect reply the real header order.
 */
import { CommandReader } from '../emulator/command-reader.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { EslParser, rawHeaderPairs, type EslFrame } from '../../src/esl/parser.ts';
import type { OutboundSession } from '../../src/esl/outbound-session.ts';
import { PAGD, nextNotice, startHarness, type Harness } from './harness.ts';
import { findTranscript, frameSignature, haveTranscripts, loadChunks, requireTranscriptsInCi } from './transcripts.ts';

requireTranscriptsInCi('emulator fidelity');

function transcriptFrames(prefix: string): EslFrame[] {
  const parser = new EslParser();
  return loadChunks(findTranscript(prefix)).flatMap((c) => (c.dir === 'in' ? parser.feed(Buffer.from(c.data)).frames : []));
}

/** The transcripts' bare-linger tail: hang up (if needed), wait for the linger notice, return → exit. */
async function lingerThenExit(s: OutboundSession, hangup: boolean): Promise<void> {
  const notice = nextNotice(s, 'linger');
  if (hangup) await s.hangup('NORMAL_CLEARING');
  await notice;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe.skipIf(!haveTranscripts)('emulator matches the transcripts', () => {
  it('call-c: invalid 9 then 4 — same frames, reply texts and event order', async () => {
    h = await startHarness(async (s) => {
      await s.myevents();
      await s.linger();
      await s.execute('answer');
      await s.execute('playback', 'tone_stream://%(500,0,440)');
      const r = await s.execute('play_and_get_digits', PAGD);
      expect(r.kind).toBe('complete');
      if (r.kind === 'complete') {
        expect(r.event.headers['variable_choice']).toBe('4');
        expect(r.event.headers['variable_choice_invalid']).toBe('9');
        expect(r.event.headers['variable_read_result']).toBe('success');
      }
      await lingerThenExit(s, true);
    });
    // The transcripts were captured on `socket … async full`.
    const call = h.emu.placeCall({
      destination: '1000',
      callerIdNumber: 'sipp',
      socketMode: 'async',
      script: {
        steps: [
          { when: { onApp: 'play_and_get_digits', afterMs: 5 }, do: { kind: 'dtmf', digits: '9' } },
          { when: { onApp: 'play_and_get_digits', afterMs: 80 }, do: { kind: 'dtmf', digits: '4' } },
        ],
      },
    });
    const summary = await call.done;
    expect(summary.closedBy).toBe('emulator');
    const ours = call.recorder.frames().map(frameSignature);
    expect(ours).toEqual(transcriptFrames('call-c_').map(frameSignature));
    // The same commands as the transcript's tool, meaning for meaning: our wire form is shorter (an app's
    // long argument as a text/plain body, a short Event-UUID, no NORMAL_CLEARING: every header byte costs
    // the switch a recv and a sched_yield), which FreeSWITCH reads as the same thing.
    const theirs = loadChunks(findTranscript('call-c_')).filter((c) => c.dir === 'out').map((c) => Buffer.from(c.data));
    expect(meanings(call.recorder.bytes('out'))).toEqual(meanings(Buffer.concat(theirs)));
    await h.server.idle();
    expect(h.server.sessions()).toHaveLength(0);
  });

  it('call-d: hangup during play_and_get_digits, then commands after the hangup', async () => {
    h = await startHarness(async (s) => {
      await s.myevents();
      await s.linger();
      await s.execute('answer');
      await s.execute('playback', 'tone_stream://%(500,0,440)');
      const notice = nextNotice(s, 'linger');
      const r = await s.execute('play_and_get_digits', PAGD);
      expect(r.kind).toBe('hangup');
      expect(s.signal.aborted).toBe(true);
      expect((s.signal.reason as Error).name).toBe('EslHangupError');
      await notice;
      // Fact 5: FreeSWITCH still +OKs; `execute` itself would not even send this.
      await s.conn.sendmsg(undefined, [
        ['call-command', 'execute'],
        ['execute-app-name', 'playback'],
        ['execute-app-arg', 'tone_stream://%(300,0,200)'],
        ['event-lock', 'true'],
        ['Event-UUID', 'x'],
      ]);
      await s.hangup();
      const again = await s.execute('playback', 'x');
      expect(again.kind).toBe('hangup');
    });
    const call = h.emu.placeCall({
      destination: '1000',
      callerIdNumber: 'sipp',
      socketMode: 'async',
      script: { steps: [{ when: { onApp: 'play_and_get_digits', afterMs: 10 }, do: { kind: 'hangup' } }] },
    });
    await call.done;
    expect(call.recorder.frames().map(frameSignature)).toEqual(transcriptFrames('call-d_').map(frameSignature));
  });

  it('connect reply: the channel data in the real header order, Content-Type near the end', async () => {
    h = await startHarness(async (s) => {
      expect(s.channel.destinationNumber).toBe('5001');
      expect(s.channel.callerIdNumber).toBe('+15550100');
      expect(s.channel.variables['sip_h_X-Tenant']).toBe('acme & co');
      await s.hangup();
    });
    const call = h.emu.placeCall({ destination: '5001', callerIdNumber: '+15550100', variables: { 'sip_h_X-Tenant': 'acme & co' } });
    await call.done;
    const ours = call.recorder.frames()[0];
    const theirs = transcriptFrames('call-c_')[0];
    if (ours?.kind !== 'command-reply' || theirs?.kind !== 'command-reply') throw new Error('no connect reply');
    const key = ['Event-Name', 'Channel-Direction', 'Channel-State', 'Unique-ID', 'Answer-State', 'Caller-Direction',
      'Caller-Destination-Number', 'variable_uuid', 'Content-Type', 'Reply-Text', 'Socket-Mode', 'Control'];
    const order = (f: EslFrame): string[] => rawHeaderPairs(f.headerText).map(([n]) => n).filter((n) => key.includes(n));
    expect(order(ours)).toEqual(order(theirs));
    expect(order(ours).slice(-4)).toEqual(['Content-Type', 'Reply-Text', 'Socket-Mode', 'Control']);
    const raw = (f: EslFrame, n: string): string | undefined => rawHeaderPairs(f.headerText).find(([k]) => k === n)?.[1];
    expect(raw(ours, 'Reply-Text')).toBe(raw(theirs, 'Reply-Text'));
    expect(raw(ours, 'variable_sip_h_X-Tenant')).toBe('acme%20%26%20co');
  });
});

/** Each command as FreeSWITCH takes it: its line, and for a sendmsg what it runs (app, argument, cause, lock). */
function meanings(bytes: Buffer): string[] {
  return new CommandReader().feed(bytes).map(({ line, headers, body }) => {
    if (!line.startsWith('sendmsg')) return line;
    const arg = headers.get('execute-app-arg') ?? (headers.get('content-type') === 'text/plain' ? body : undefined);
    const kind = headers.get('call-command');
    const detail = kind === 'hangup' ? (headers.get('hangup-cause') ?? 'NORMAL_CLEARING') : `${headers.get('execute-app-name')}(${arg ?? ''}) lock=${headers.get('event-lock') ?? 'false'}`;
    return `${line} ${kind} ${detail}`;
  });
}
