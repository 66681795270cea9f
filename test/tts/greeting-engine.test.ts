/**
 * Every endpoint that renders text-to-speech says which engine (and voice) rendered it: the IVR
 * greeting, a template render and an extension's voicemail greeting. With the default engine
 * chain of a fresh install (no Google, no espeak-ng binary) what they render is speech.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { createIvr } from '../api/ivrs.fixtures.ts';
import { analyzeSpeech, speechVerdict } from '../helpers/speech.ts';
import { decodeWav } from '../../src/media/wav.ts';
import { TtsError, type TtsEngine } from '../../src/media/tts-engine.ts';
import { createTtsEngine } from '../../src/media/create-tts.ts';
import { createTtsChain } from '../../src/media/tts-chain.ts';
import { createToneEngine } from '../../src/media/tone-engine.ts';
import { silentLogger } from '../../src/runtime/logger.ts';

// The chain main.ts builds on a machine with neither Google credentials nor the espeak-ng binary.
const freshInstall = createTtsEngine({ TTS_ENGINE: 'auto' }, silentLogger(), { espeak: () => false });
beforeAll(() => freshInstall.synthesize({ text: 'Warm up.', language: 'en', voice: '', sampleRate: 8000 }), 60_000);
afterAll(() => freshInstall.close?.());

let api: AsyncTestApi;
afterEach(() => api?.close());

/** A speech engine that is down today: the chain renders the tone instead. */
const broken: TtsEngine = { name: 'espeak-ng-wasm', voiceFor: () => 'en-gb', synthesize: () => Promise.reject(new TtsError('worker failed')) };
const degraded = createTtsChain([broken, createToneEngine()], silentLogger());

async function setup(tts: TtsEngine) {
  api = await openTestApi({ tts });
  const org = await api.org('Acme');
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await api.call(method, path, { token: org.token, body });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  return { org, call };
}

describe('POST /api/v1/ivrs/{id}/generate-greeting reports the engine', () => {
  it('a fresh install speaks: engine espeak-ng-wasm, voice en-gb, an 8 kHz mono 16-bit wav of speech', async () => {
    const { org, call } = await setup(freshInstall);
    const ivr = await createIvr(api, org);
    const res = await call('POST', `/api/v1/ivrs/${ivr.id}/generate-greeting`, { text: 'Welcome to Acme. Press one for sales, two for support, or stay on the line.' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true, engine: 'espeak-ng-wasm', engine_voice: 'en-gb', language: 'en-IN', voice: 'en-IN-Wavenet-D' });

    const wav = readFileSync(join(api.dataDir, 'sounds', `greeting_ivr_${ivr.id}.wav`));
    expect(decodeWav(wav)).toMatchObject({ format: 1, channels: 1, bitsPerSample: 16, sampleRate: 8000 });
    const stats = analyzeSpeech(wav);
    expect(speechVerdict(stats), JSON.stringify(stats)).toEqual({ speech: true, why: 'speech' });
    expect(res.json.duration_ms).toBe(stats.durationMs);
  });

  it('Hindi renders with the hi voice', async () => {
    const { org, call } = await setup(freshInstall);
    const ivr = await createIvr(api, org);
    const res = await call('POST', `/api/v1/ivrs/${ivr.id}/generate-greeting`, { text: 'नमस्ते, आपका स्वागत है', language: 'hi-IN', voice: 'hi-IN-Wavenet-A' });
    expect(res.json).toMatchObject({ engine: 'espeak-ng-wasm', engine_voice: 'hi', language: 'hi-IN', voice: 'hi-IN-Wavenet-A' });
  });

  it('when the speech engine fails the tone renders, and the response says so', async () => {
    const { org, call } = await setup(degraded);
    const ivr = await createIvr(api, org);
    const res = await call('POST', `/api/v1/ivrs/${ivr.id}/generate-greeting`, { text: 'Welcome to Acme.' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ engine: 'tone', engine_voice: 'tone' });
  });
});

describe('POST /api/v1/tts-templates/{id}/render reports the engine', () => {
  it('engine and engine_voice, also when the render is a cache hit', async () => {
    const { call } = await setup(freshInstall);
    const t = await call('POST', '/api/v1/tts-templates', { name: 'hello', text: 'Hello {{name}}, your order is confirmed.' });
    const first = await call('POST', `/api/v1/tts-templates/${t.json.id as string}/render`, { variables: { name: 'Asha' } });
    expect(first.json).toMatchObject({ cached: false, engine: 'espeak-ng-wasm', engine_voice: 'en-gb', voice: null });
    const again = await call('POST', `/api/v1/tts-templates/${t.json.id as string}/render`, { variables: { name: 'Asha' } });
    expect(again.json).toMatchObject({ cached: true, engine: 'espeak-ng-wasm', engine_voice: 'en-gb', audio_id: first.json.audio_id });
  });

  it('a tone made by the fallback is never the cache hit: the next render tries speech again', async () => {
    let speechUp = false;
    const flaky: TtsEngine = {
      name: 'espeak-ng-wasm',
      voiceFor: (r) => freshInstall.voiceFor(r),
      synthesize: (r, s) => (speechUp ? freshInstall.synthesize(r, s) : Promise.reject(new TtsError('worker failed'))),
    };
    const { call } = await setup(createTtsChain([flaky, createToneEngine()], silentLogger()));
    const t = await call('POST', '/api/v1/tts-templates', { name: 'hello', text: 'Hello there.' });
    const render = () => call('POST', `/api/v1/tts-templates/${t.json.id as string}/render`, { variables: {} });
    const toned = await render();
    expect(toned.json).toMatchObject({ cached: false, engine: 'tone', engine_voice: 'tone' });
    speechUp = true;
    const spoken = await render();
    expect(spoken.json).toMatchObject({ cached: false, engine: 'espeak-ng-wasm', engine_voice: 'en-gb' });
    expect(spoken.json.audio_id).not.toBe(toned.json.audio_id);
    expect((await render()).json).toMatchObject({ cached: true, engine: 'espeak-ng-wasm', audio_id: spoken.json.audio_id });
  });
});

describe('extensions: the voicemail greeting reports the engine', () => {
  it('create and update say how the greeting they saved was rendered; an update without one says null', async () => {
    const { call } = await setup(freshInstall);
    const created = await call('POST', '/api/v1/extensions', { number: '1001', name: 'Asha', voicemail_greeting: 'You have reached Asha. Please leave a message.' });
    expect(created.status).toBe(201);
    expect(created.json.voicemail_greeting_tts).toEqual({ engine: 'espeak-ng-wasm', voice: 'en-gb', cached: false });
    const renamed = await call('PUT', `/api/v1/extensions/${created.json.id as string}`, { name: 'Asha K' });
    expect(renamed.json.voicemail_greeting_tts).toBeNull();
    const regreeted = await call('PUT', `/api/v1/extensions/${created.json.id as string}`, { voicemail_greeting: 'You have reached Asha. Please leave a message.' });
    expect(regreeted.json.voicemail_greeting_tts).toEqual({ engine: 'espeak-ng-wasm', voice: 'en-gb', cached: true });
  });

  it('a degraded engine: the default greeting renders as the tone, and the response says so', async () => {
    const { call } = await setup(degraded);
    const created = await call('POST', '/api/v1/extensions', { number: '1002', name: 'Ravi' });
    expect(created.json.voicemail_greeting_tts).toEqual({ engine: 'tone', voice: 'tone', cached: false });
  });
});
