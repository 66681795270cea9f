/**
 * The npm speech engine for real: eSpeak NG's WebAssembly build from node_modules, no binary,
 * no network. What it renders must be speech in the format the greetings use, not a tone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src/media/wav.ts';
import { TtsError, type TtsRequest } from '../../src/media/tts-engine.ts';
import { createEspeakWasmEngine, espeakWasmAvailable } from '../../src/media/espeak-wasm-engine.ts';
import { createToneEngine } from '../../src/media/tone-engine.ts';
import { analyzeSpeech, speechVerdict } from '../helpers/speech.ts';

// One engine (one worker) for the file: loading eSpeak NG once is what production does too.
const engine = createEspeakWasmEngine();
afterAll(() => engine.close());
// The first synthesis loads and compiles the module; on a busy 2-core machine that takes seconds.
beforeAll(() => engine.synthesize({ text: 'Warm up.', language: 'en', voice: '', sampleRate: 8000 }), 60_000);

const SENTENCE = 'Welcome to Acme support. Please hold while we connect you to the next available agent.';
const req = (over: Partial<TtsRequest> = {}): TtsRequest => ({ text: SENTENCE, language: 'en-IN', voice: 'en-IN-Wavenet-D', sampleRate: 8000, ...over });
const seconds = (wav: Buffer) => decodeWav(wav).data.length / 2 / decodeWav(wav).sampleRate;

describe('espeak-ng-wasm engine (npm package, no binary)', () => {
  it('is installed with npm install', () => {
    expect(espeakWasmAvailable()).toBe(true);
  });

  it('renders mono 16-bit PCM wav at the configured rate, and says which engine and voice', async () => {
    const a = await engine.synthesize(req());
    expect(a.engine).toBe('espeak-ng-wasm');
    expect(a.voice).toBe('en-gb');
    expect(engine.voiceFor(req())).toBe('en-gb');
    expect(decodeWav(a.wav)).toMatchObject({ format: 1, channels: 1, bitsPerSample: 16, sampleRate: 8000 });
    const b = await engine.synthesize(req({ sampleRate: 16000 }));
    expect(decodeWav(b.wav)).toMatchObject({ format: 1, channels: 1, bitsPerSample: 16, sampleRate: 16000 });
    // Same speech at either rate.
    expect(Math.abs(seconds(a.wav) - seconds(b.wav))).toBeLessThan(0.05);
  });

  it('(a) the audio grows with the text', async () => {
    const short = seconds((await engine.synthesize(req({ text: 'Hello.' }))).wav);
    const long = seconds((await engine.synthesize(req())).wav);
    const longer = seconds((await engine.synthesize(req({ text: `${SENTENCE} ${SENTENCE}` }))).wav);
    expect(short).toBeGreaterThan(0.2);
    expect(short).toBeLessThan(1.5);
    expect(long).toBeGreaterThan(short * 4);
    expect(longer).toBeGreaterThan(long * 1.7);
    // A speaking rate of people: 14 words in 3–8 seconds.
    expect(long).toBeGreaterThan(3);
    expect(long).toBeLessThan(8);
  });

  it('(b) energy spreads over the speech band and the strongest frequency moves: speech, not a tone', async () => {
    for (const sampleRate of [8000, 16000]) {
      const stats = analyzeSpeech((await engine.synthesize(req({ sampleRate }))).wav);
      expect(speechVerdict(stats), JSON.stringify(stats)).toEqual({ speech: true, why: 'speech' });
      expect(stats.bandsWithEnergy).toBeGreaterThanOrEqual(6);
    }
    // The same measure on the tone engine says "not speech": the test tells them apart.
    const tone = analyzeSpeech((await createToneEngine().synthesize(req())).wav);
    expect(speechVerdict(tone).speech).toBe(false);
    expect(tone.bandsWithEnergy).toBeLessThanOrEqual(2);
    expect(tone.distinctPeaks).toBeLessThanOrEqual(3);
  });

  it('speaks Indian languages from the package too (Hindi, Tamil)', async () => {
    const hi = await engine.synthesize(req({ text: 'नमस्ते, आपका स्वागत है। कृपया प्रतीक्षा करें।', language: 'hi-IN' }));
    expect(hi.voice).toBe('hi');
    expect(speechVerdict(analyzeSpeech(hi.wav)).speech).toBe(true);
    const ta = await engine.synthesize(req({ text: 'வணக்கம், உங்களை வரவேற்கிறோம்', language: 'ta-IN' }));
    expect(ta.voice).toBe('ta');
    expect(seconds(ta.wav)).toBeGreaterThan(1);
  });

  it('an unknown language is a TtsError (the chain then falls back), and the engine keeps working', async () => {
    await expect(engine.synthesize(req({ language: 'xx-YY' }))).rejects.toThrow(/no eSpeak NG voice for "xx"/);
    await expect(engine.synthesize(req({ language: 'xx-YY' }))).rejects.toBeInstanceOf(TtsError);
    expect((await engine.synthesize(req({ text: 'Still here.' }))).engine).toBe('espeak-ng-wasm');
  });

  it('markup in the text is read, not obeyed (eSpeak reads SSML)', async () => {
    const plain = seconds((await engine.synthesize(req({ text: 'Press one now.' }))).wav);
    const marked = seconds((await engine.synthesize(req({ text: 'Press <break time="9s"/> one now.' }))).wav);
    expect(marked).toBeLessThan(plain + 6);
    // Text that is empty once read is an error, not an empty wav.
    await expect(engine.synthesize(req({ text: '' }))).rejects.toThrow(TtsError);
  });

  it('an abort ends the wait and the worker; the next synthesis loads it again', async () => {
    await expect(engine.synthesize(req(), AbortSignal.abort())).rejects.toThrow(/aborted/);
    const ac = new AbortController();
    const p = engine.synthesize(req({ text: `${SENTENCE} ${SENTENCE} ${SENTENCE}` }), ac.signal);
    setTimeout(() => ac.abort(), 5);
    await expect(p).rejects.toThrow(/aborted/);
    expect((await engine.synthesize(req({ text: 'Back again.' }))).engine).toBe('espeak-ng-wasm');
  });

  it('concurrent requests each get their own audio', async () => {
    const texts = ['One.', 'Two two two two two.', 'Three three three three three three three three three.'];
    const out = await Promise.all(texts.map((text) => engine.synthesize(req({ text }))));
    const lengths = out.map((a) => seconds(a.wav));
    expect(lengths[0]).toBeLessThan(lengths[1] as number);
    expect(lengths[1]).toBeLessThan(lengths[2] as number);
  });
});
