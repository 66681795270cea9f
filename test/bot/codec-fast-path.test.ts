/** The per-frame paths of the dialect codecs: built by hand for speed, byte-for-byte what the generic path produces. */
import { describe, expect, it } from 'vitest';
import { nativeCodec } from '../../src/bot/native-dialect.ts';
import { twilioCodec } from '../../src/bot/twilio-dialect.ts';
import { audioFastPath, type StreamInfo } from '../../src/bot/protocol.ts';

const info: StreamInfo = {
  callId: 'c1', streamId: 'MZ"odd\\id', channelUuid: 'u1', from: '+911', to: '+912', did: '+912', orgId: 'o1', agentId: 'a1',
  mediaFormat: { encoding: 'audio/x-mulaw', sample_rate: 8000, channels: 1 }, systemPrompt: null, language: 'en-IN', openingText: null, metadata: {}, contact: null,
};
const frame = Buffer.from(Array.from({ length: 320 }, (_, i) => (i * 37) & 0xff));

describe('codec fast paths', () => {
  it('native media: the exact bytes JSON.stringify gives, seq shared with the other messages', () => {
    const c = nativeCodec(info);
    c.open();
    const b64 = frame.toString('base64');
    expect(c.media(frame, 0)).toBe(JSON.stringify({ type: 'media', seq: 2, stream_id: info.streamId, timestamp: 0, payload: b64 }));
    expect(c.media(frame, 20)).toBe(JSON.stringify({ type: 'media', seq: 3, stream_id: info.streamId, timestamp: 20, payload: b64 }));
    expect(JSON.parse(c.mark('m', false))).toMatchObject({ seq: 4 });
  });

  it('twilio media: the exact bytes JSON.stringify gives, chunk and sequenceNumber counting', () => {
    const c = twilioCodec(info);
    c.open();
    const b64 = frame.toString('base64');
    expect(c.media(frame, 40)).toBe(JSON.stringify({ event: 'media', sequenceNumber: '2', media: { track: 'inbound', chunk: '1', timestamp: '40', payload: b64 }, streamSid: info.streamId }));
    expect(JSON.parse(c.media(frame, 60))).toMatchObject({ sequenceNumber: '3', media: { chunk: '2' } });
  });

  it('audio decoding: valid audio takes the fast path; anything doubtful falls back to the schemas (same verdicts as before)', () => {
    expect(audioFastPath({ type: 'response.audio.delta', delta: 'AAE=' }, 'type')).toEqual(Buffer.from([0, 1]));
    expect(audioFastPath({ type: 'media', payload: '' }, 'type')).toEqual(Buffer.alloc(0));
    expect(audioFastPath({ event: 'media', media: { payload: '/w==' } }, 'event')).toEqual(Buffer.from([0xff]));
    for (const bad of [null, [], 'x', { type: 'response.audio.delta', delta: 'a b' }, { type: 'media', payload: 5 }, { type: 'clear' }, { event: 'media', streamSid: 7, media: { payload: 'AA==' } }, { event: 'media', media: null }]) {
      expect(audioFastPath(bad, 'type')).toBeNull();
      expect(audioFastPath(bad, 'event')).toBeNull();
    }
    const n = nativeCodec(info);
    expect(n.decode('{"type":"response.audio.delta","delta":"not base64!"}')).toMatchObject({ ok: false, details: [{ path: 'delta', message: 'must be base64' }] });
    expect(n.decode('{"type":"media"}')).toMatchObject({ ok: false, details: [{ path: 'payload' }] });
    const t = twilioCodec(info);
    expect(t.decode('{"event":"media","streamSid":5,"media":{"payload":"AA=="}}')).toMatchObject({ ok: false, details: [{ path: 'streamSid' }] });
    expect(t.decode('{"event":"media","media":{"payload":"%%"}}')).toMatchObject({ ok: false, details: [{ path: 'media.payload' }] });
  });
});
