/** Pure units of the AI bridge: G.711, streaming resampler, play-out buffer, port pool, dialect codecs, clock. */
import { describe, expect, it } from 'vitest';
import { l16ToUlaw, linearToUlaw, ulawToL16, ulawToLinear } from '../../src/media/g711.ts';
import { StreamResampler } from '../../src/bot/stream-resampler.ts';
import { createAudioPath } from '../../src/bot/audio-format.ts';
import { Playout } from '../../src/bot/playout.ts';
import { createPortPool } from '../../src/bot/port-pool.ts';
import { nativeCodec } from '../../src/bot/native-dialect.ts';
import { twilioCodec } from '../../src/bot/twilio-dialect.ts';
import { createMediaClock } from '../../src/bot/media-clock.ts';
import type { StreamInfo } from '../../src/bot/protocol.ts';
import { rms } from './helpers.ts';

const sine = (hz: number, rate: number, n: number, amp = 8000) => Int16Array.from({ length: n }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * hz * i) / rate)));

describe('G.711 μ-law', () => {
  it('matches the reference values and round-trips within the segment step', () => {
    expect(linearToUlaw(0)).toBe(0xff);
    expect(linearToUlaw(-1)).toBe(0x7f);
    expect(linearToUlaw(32767)).toBe(0x80);
    expect(linearToUlaw(-32768)).toBe(0x00);
    expect(ulawToLinear(0xff)).toBe(0);
    expect(ulawToLinear(0x80)).toBe(32124);
    expect(ulawToLinear(0x00)).toBe(-32124);
    for (let x = -32000; x <= 32000; x += 97) {
      const back = ulawToLinear(linearToUlaw(x));
      expect(Math.abs(back - x)).toBeLessThanOrEqual(Math.max(8, Math.abs(x) / 16));
    }
    // The transcripts' native sample decodes to the same 400 Hz tone the L16 capture shows.
    const u = Buffer.from('ffc0b3aca9a8a9acb3c0ff40332c2928292c3340', 'hex');
    expect(rms(ulawToL16(u))).toBeGreaterThan(4000);
    expect(l16ToUlaw(ulawToL16(u))).toEqual(u);
  });
});

describe('StreamResampler', () => {
  it('8 → 16 → 8 kHz in 20 ms frames keeps a 400 Hz tone (no clicks at frame edges)', () => {
    const up = new StreamResampler(8000, 16000);
    const down = new StreamResampler(16000, 8000);
    const input = sine(400, 8000, 160 * 50);
    const outs: number[] = [];
    for (let f = 0; f < 50; f++) outs.push(...down.process(up.process(input.subarray(f * 160, f * 160 + 160))));
    expect(Math.abs(outs.length - input.length)).toBeLessThan(40);
    const tail = Int16Array.from(outs.slice(1000, 7000));
    const r = Math.sqrt(tail.reduce((a, v) => a + v * v, 0) / tail.length);
    expect(r).toBeGreaterThan(8000 / Math.SQRT2 * 0.97);
    expect(r).toBeLessThan(8000 / Math.SQRT2 * 1.03);
    const steps = tail.slice(1).map((v, i) => Math.abs(v - tail[i]!));
    expect(Math.max(...steps)).toBeLessThan(2 * Math.PI * 400 / 8000 * 8000 * 1.1); // no step larger than the sine's own slope
  });

  it('24 → 8 kHz low-passes: a 6 kHz tone does not alias into the speech band', () => {
    const down = new StreamResampler(24000, 8000);
    const out = down.process(sine(6000, 24000, 24000));
    const r = Math.sqrt(out.slice(200).reduce((a, v) => a + v * v, 0) / (out.length - 200));
    expect(r).toBeLessThan(8000 * 0.02);
  });

  it('an odd byte from the bot is carried to the next message', () => {
    const p = createAudioPath('l16_8k');
    const a = p.fromBot(Buffer.from([1, 2, 3]));
    const b = p.fromBot(Buffer.from([4]));
    expect([...a, ...b]).toEqual([1, 2, 3, 4]);
  });
});

describe('Playout', () => {
  it('frames out in order, silence when empty, marks after their audio, clear echoes pending marks', () => {
    const p = new Playout(4, 3, 0);
    expect(p.next()).toMatchObject({ audio: false, marks: [] });
    p.mark('empty');
    expect(p.next().marks).toEqual(['empty']);
    p.push(Buffer.from([1, 1, 1, 1, 2, 2]));
    p.mark('after-two'); // pads the partial frame with silence
    expect(p.next()).toMatchObject({ frame: Buffer.from([1, 1, 1, 1]), audio: true, marks: [] });
    expect(p.next()).toMatchObject({ frame: Buffer.from([2, 2, 0, 0]), marks: ['after-two'] });
    p.push(Buffer.alloc(4 * 5, 9));
    expect(p.buffered).toBe(3);
    expect(p.dropped).toBe(2);
    p.mark('never');
    expect(p.clear()).toEqual(['never']);
    expect(p.next().audio).toBe(false);
  });

  it('a partial frame alone is played after waiting a tick', () => {
    const p = new Playout(4, 10, 0);
    p.push(Buffer.from([5, 5]));
    expect(p.next().audio).toBe(false);
    expect(p.next()).toMatchObject({ frame: Buffer.from([5, 5, 0, 0]), audio: true });
  });
});

describe('port pool', () => {
  it('hands out even/odd pairs round-robin and runs out cleanly', () => {
    const pool = createPortPool(40001, 40008);
    expect(pool.capacity).toBe(3);
    const a = pool.acquire()!;
    expect(a).toEqual({ local: 40002, switch: 40003 });
    const b = pool.acquire()!;
    pool.release(a);
    expect(pool.acquire()).toEqual({ local: 40006, switch: 40007 });
    expect(pool.acquire()).toEqual(a);
    expect(pool.acquire()).toBeNull();
    pool.release(b);
    expect(pool.inUse).toBe(2);
  });
});

const info: StreamInfo = {
  callId: 'c1', streamId: 'MZ1', channelUuid: 'u1', from: '+911', to: '+912', did: '+912', orgId: 'o1', agentId: 'a1',
  mediaFormat: { encoding: 'audio/x-mulaw', sample_rate: 8000, channels: 1 }, systemPrompt: null, language: 'en-IN', openingText: null, metadata: {}, contact: null,
};

describe('dialect codecs', () => {
  it('native: decodes every command, rejects bad ones with field details', () => {
    const c = nativeCodec(info);
    expect(c.decode('{"type":"response.audio.delta","delta":"AAE="}')).toEqual({ ok: true, command: { kind: 'audio', payload: Buffer.from([0, 1]) } });
    expect(c.decode('{"type":"media","payload":"AAE="}')).toMatchObject({ ok: true, command: { kind: 'audio' } });
    expect(c.decode('{"type":"clear"}')).toEqual({ ok: true, command: { kind: 'clear' } });
    expect(c.decode('{"type":"mark","name":"m"}')).toEqual({ ok: true, command: { kind: 'mark', name: 'm' } });
    expect(c.decode('{"type":"session.transfer","target":{"type":"queue","value":"5001"}}')).toEqual({ ok: true, command: { kind: 'transfer', target: { type: 'queue', value: '5001' } } });
    expect(c.decode('{"type":"session.hangup"}')).toEqual({ ok: true, command: { kind: 'hangup', reason: null } });
    expect(c.decode('{"type":"session.transfer","target":{"type":"voicemail","value":"1"}}')).toMatchObject({ ok: false, details: [{ path: 'target.type' }] });
    expect(c.decode('{"type":"dance"}')).toMatchObject({ ok: false, error: 'invalid message' });
    expect(c.decode('{')).toMatchObject({ ok: false, error: 'message is not valid JSON' });
    expect(JSON.parse(c.mark('m', true))).toEqual({ type: 'mark', seq: 1, stream_id: 'MZ1', name: 'm', cleared: true });
  });

  it('twilio: Twilio messages plus our control extension', () => {
    const c = twilioCodec(info);
    expect(c.decode('{"event":"media","streamSid":"MZ1","media":{"payload":"/w=="}}')).toEqual({ ok: true, command: { kind: 'audio', payload: Buffer.from([0xff]) } });
    expect(c.decode('{"event":"mark","streamSid":"MZ1","mark":{"name":"n"}}')).toEqual({ ok: true, command: { kind: 'mark', name: 'n' } });
    expect(c.decode('{"event":"clear","streamSid":"MZ1"}')).toEqual({ ok: true, command: { kind: 'clear' } });
    expect(c.decode('{"type":"session.hangup","reason":"done"}')).toEqual({ ok: true, command: { kind: 'hangup', reason: 'done' } });
    expect(c.decode('{"event":"media","media":{}}')).toMatchObject({ ok: false, details: [{ path: 'media.payload' }] });
    const [connected, start] = c.open();
    expect(JSON.parse(connected!)).toEqual({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    expect(JSON.parse(start!).start.customParameters).toMatchObject({ from: '+911', to: '+912' });
    expect(JSON.parse(c.media(Buffer.from([1]), 20))).toEqual({ event: 'media', sequenceNumber: '2', media: { track: 'inbound', chunk: '1', timestamp: '20', payload: 'AQ==' }, streamSid: 'MZ1' });
  });

  it('start carries the caller\'s contact: nested in native, flat contact_* strings in twilio (a variable cannot replace id or name)', () => {
    const contact = { id: 'ct1', name: 'John Doe', variables: { order_id: 'ORD1', name: 'spoof' } };
    const native = JSON.parse(nativeCodec({ ...info, contact }).open()[0]!) as { custom_parameters: Record<string, unknown> };
    expect(native.custom_parameters.contact).toEqual(contact);
    expect((JSON.parse(nativeCodec(info).open()[0]!) as { custom_parameters: Record<string, unknown> }).custom_parameters.contact).toBeNull();
    const twilio = JSON.parse(twilioCodec({ ...info, contact }).open()[1]!) as { start: { customParameters: Record<string, string> } };
    expect(twilio.start.customParameters).toMatchObject({ contact_id: 'ct1', contact_name: 'John Doe', contact_order_id: 'ORD1' });
    expect(Object.keys((JSON.parse(twilioCodec(info).open()[1]!) as { start: { customParameters: object } }).start.customParameters)).not.toContain('contact_id');
  });
});

describe('media clock', () => {
  it('on the default (real) time source it ticks, and stops its timer when the last listener leaves', async () => {
    // Timing itself (20 ms pacing, no drift under lateness) is checked in fake time in media-clock.test.ts.
    const clock = createMediaClock();
    let ticks = 0;
    const off = clock.add(() => ticks++);
    await new Promise((r) => setTimeout(r, 120));
    off();
    expect(clock.size).toBe(0);
    expect(ticks).toBeGreaterThanOrEqual(1);
    const after = ticks;
    await new Promise((r) => setTimeout(r, 60));
    expect(ticks).toBe(after);
  });
});
