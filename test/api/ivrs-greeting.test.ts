import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { TtsError, type TtsEngine } from '../../src/media/tts-engine.ts';
import { encodeWav } from '../../src/media/wav.ts';
import { createToneEngine } from '../../src/media/tone-engine.ts';
import { apiKeyWith, createIvr, type ErrorBody } from './ivrs.fixtures.ts';

let api: AsyncTestApi;
afterEach(() => api?.close());

async function setup(overrides: Parameters<typeof openTestApi>[0] = {}, env: Record<string, string> = {}) {
  api = await openTestApi(overrides, env);
  const org = await api.org('Acme');
  const ivr = await createIvr(api, org);
  const soundsDir = join(api.dataDir, 'sounds');
  const generate = (body: unknown, token = org.token, id = ivr.id) => api.call('POST', `/api/v1/ivrs/${id}/generate-greeting`, { token, body });
  return { org, ivr, soundsDir, wavPath: join(soundsDir, `greeting_ivr_${ivr.id}.wav`), generate };
}

function wavHeader(buf: Buffer) {
  return {
    riff: buf.toString('ascii', 0, 4), wave: buf.toString('ascii', 8, 12), riffSize: buf.readUInt32LE(4),
    format: buf.readUInt16LE(20), channels: buf.readUInt16LE(22), sampleRate: buf.readUInt32LE(24),
    byteRate: buf.readUInt32LE(28), blockAlign: buf.readUInt16LE(32), bits: buf.readUInt16LE(34),
    data: buf.toString('ascii', 36, 40), dataSize: buf.readUInt32LE(40),
  };
}

const failing: TtsEngine = {
  name: 'broken',
  voiceFor: () => 'none',
  async synthesize() {
    throw new TtsError('quota exceeded');
  },
};

describe('POST /api/v1/ivrs/{id}/generate-greeting', () => {
  it('writes a mono 16-bit 8 kHz wav and records the greeting on the IVR', async () => {
    const { org, ivr, wavPath, generate } = await setup();
    const res = await generate({ text: 'Welcome to Acme. Press 1 for sales, 2 for support.' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      success: true, greeting_prompt: `greeting_ivr_${ivr.id}`, language: 'en-IN', voice: 'en-IN-Wavenet-D', engine: 'tone', engine_voice: 'tone', duration_ms: expect.any(Number),
    });
    expect(body.duration_ms as number).toBeGreaterThan(500);

    const wav = readFileSync(wavPath);
    expect(wavHeader(wav)).toEqual({
      riff: 'RIFF', wave: 'WAVE', riffSize: wav.length - 8, format: 1, channels: 1, sampleRate: 8000,
      byteRate: 16000, blockAlign: 2, bits: 16, data: 'data', dataSize: wav.length - 44,
    });
    expect(Math.round(((wav.length - 44) / 2 / 8000) * 1000)).toBe(body.duration_ms);

    const got = (await (await api.call('GET', `/api/v1/ivrs/${ivr.id}`, { token: org.token })).json()) as Record<string, unknown>;
    expect(got).toMatchObject({ greeting_prompt: `greeting_ivr_${ivr.id}`, greeting_text: 'Welcome to Acme. Press 1 for sales, 2 for support.' });
  });

  it('uses the given language and voice and stores them; 16 kHz when configured', async () => {
    const { org, ivr, wavPath, generate } = await setup({}, { TTS_SAMPLE_RATE: '16000' });
    const res = await generate({ text: 'Namaste', language: 'hi-IN', voice: 'hi-IN-Wavenet-A' });
    expect(await res.json()).toMatchObject({ language: 'hi-IN', voice: 'hi-IN-Wavenet-A' });
    expect(wavHeader(readFileSync(wavPath)).sampleRate).toBe(16000);
    const got = await (await api.call('GET', `/api/v1/ivrs/${ivr.id}`, { token: org.token })).json();
    expect(got).toMatchObject({ greeting_language: 'hi-IN', greeting_voice: 'hi-IN-Wavenet-A' });
  });

  it('converts an engine\'s 22.05 kHz stereo float output to mono 16-bit at the target rate', async () => {
    const stereo: TtsEngine = {
      name: 'odd',
      voiceFor: () => 'odd-voice',
      async synthesize() {
        const frames = 22050;
        const buf = Buffer.alloc(44 + frames * 8);
        const pcm16 = encodeWav(new Int16Array(0), 22050);
        pcm16.copy(buf, 0, 0, 44);
        buf.writeUInt16LE(3, 20); // IEEE float
        buf.writeUInt16LE(2, 22); // stereo
        buf.writeUInt32LE(22050 * 8, 28);
        buf.writeUInt16LE(8, 32);
        buf.writeUInt16LE(32, 34);
        buf.writeUInt32LE(frames * 8, 40);
        for (let i = 0; i < frames; i++) {
          const v = 0.5 * Math.sin((2 * Math.PI * 440 * i) / 22050);
          buf.writeFloatLE(v, 44 + i * 8);
          buf.writeFloatLE(v, 48 + i * 8);
        }
        return { wav: buf, engine: 'odd', voice: 'odd-voice' };
      },
    };
    const { wavPath, generate } = await setup({ tts: stereo });
    const res = await generate({ text: 'Hello' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ engine: 'odd', duration_ms: 1000 });
    expect(wavHeader(readFileSync(wavPath))).toMatchObject({ format: 1, channels: 1, sampleRate: 8000, bits: 16, dataSize: 16000 });
  });

  it('500 when TTS fails, and neither the file nor the IVR changes', async () => {
    let engine: TtsEngine = createToneEngine();
    const proxy: TtsEngine = { get name() { return engine.name; }, voiceFor: (r) => engine.voiceFor(r), synthesize: (r, s) => engine.synthesize(r, s) };
    const { org, ivr, soundsDir, wavPath, generate } = await setup({ tts: proxy });
    // First a good greeting with the tone engine, then a failing engine.
    expect((await generate({ text: 'Original greeting' })).status).toBe(200);
    const before = readFileSync(wavPath);
    const ivrBefore = await (await api.call('GET', `/api/v1/ivrs/${ivr.id}`, { token: org.token })).json();

    engine = failing;
    const res = await generate({ text: 'New greeting', language: 'ta-IN', voice: 'ta-IN-Wavenet-A' });
    expect(res.status).toBe(500);
    const body = (await res.json()) as ErrorBody;
    expect(body.code).toBe('upstream_error');
    expect(body.error).toContain('Text-to-speech failed');
    expect(body.error).toContain('quota exceeded');
    expect(readFileSync(wavPath).equals(before)).toBe(true);
    expect(await (await api.call('GET', `/api/v1/ivrs/${ivr.id}`, { token: org.token })).json()).toEqual(ivrBefore);
    expect(readdirSync(soundsDir)).toEqual([`greeting_ivr_${ivr.id}.wav`]); // no temp files left
  });

  it('500 on the first greeting leaves no file and greeting_prompt null', async () => {
    const { org, ivr, wavPath, generate } = await setup({ tts: failing });
    expect((await generate({ text: 'Hello' })).status).toBe(500);
    expect(existsSync(wavPath)).toBe(false);
    expect(await (await api.call('GET', `/api/v1/ivrs/${ivr.id}`, { token: org.token })).json()).toMatchObject({ greeting_prompt: null, greeting_text: null });
  });

  it('400 without text, with blank or too long text, or a bad language', async () => {
    const { generate } = await setup();
    for (const body of [{}, { text: '   ' }, { text: 'x'.repeat(2001) }, { text: 'hi', language: 'english please' }]) {
      const res = await generate(body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
    }
  });

  it('404 for unknown and cross-org IVRs', async () => {
    const { ivr, generate } = await setup();
    const other = await api.org('Other');
    expect((await generate({ text: 'Hi' }, undefined, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await generate({ text: 'Hi' }, other.token, ivr.id)).status).toBe(404);
  });
});

describe('GET /api/v1/ivrs/{id}/greeting-audio', () => {
  it('serves the wav with a JWT or an API key', async () => {
    const { org, ivr, wavPath, generate } = await setup();
    await generate({ text: 'Hello there' });
    const key = await apiKeyWith(api, org, ['ivr.read']);
    for (const auth of [{ token: org.token }, { apiKey: key }]) {
      const res = await api.call('GET', `/api/v1/ivrs/${ivr.id}/greeting-audio`, auth);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('audio/wav');
      expect(res.headers.get('content-disposition')).toBe(`inline; filename="greeting_ivr_${ivr.id}.wav"`);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(wavPath))).toBe(true);
    }
  });

  it('404 before a greeting exists, when the file is gone, and for unknown or cross-org IVRs', async () => {
    const { org, ivr, wavPath, generate } = await setup();
    const get = (token = org.token, id = ivr.id) => api.call('GET', `/api/v1/ivrs/${id}/greeting-audio`, { token });
    let res = await get();
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error).toBe('No greeting generated yet');
    await generate({ text: 'Hello' });
    const other = await api.org('Other');
    expect((await get(other.token)).status).toBe(404);
    expect((await get(org.token, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    rmSync(wavPath);
    res = await get();
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error).toBe('Greeting file missing on disk');
  });
});

describe('DELETE removes the greeting file', () => {
  it('the wav is gone after the IVR is deleted', async () => {
    const { org, ivr, wavPath, generate } = await setup();
    await generate({ text: 'Hello' });
    expect(existsSync(wavPath)).toBe(true);
    expect((await api.call('DELETE', `/api/v1/ivrs/${ivr.id}`, { token: org.token })).status).toBe(204);
    expect(existsSync(wavPath)).toBe(false);
  });
});
