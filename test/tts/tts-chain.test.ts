/** (c) the fallback chain and (d) which engines TTS_ENGINE picks, with the installed engines injected. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { TtsError, type TtsEngine } from '../../src/media/tts-engine.ts';
import { createTtsChain } from '../../src/media/tts-chain.ts';
import { createToneEngine } from '../../src/media/tone-engine.ts';
import { createTtsEngine, espeakAvailable, ttsEngineOrder } from '../../src/media/create-tts.ts';
import { silentLogger } from '../../src/runtime/logger.ts';

const req = { text: 'Welcome to Acme.', language: 'en-IN', voice: 'en-IN-Wavenet-D', sampleRate: 8000 };
const tmp = mkdtempSync(join(tmpdir(), 'tts-chain-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info', base: undefined }, { write: (s: string) => lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { logger, lines };
}

const failing = (name: string, message = 'engine down'): TtsEngine => ({
  name,
  voiceFor: () => `${name}-voice`,
  synthesize: () => Promise.reject(new TtsError(message)),
});

describe('engine chain', () => {
  it('(c) a failing engine falls back to the next; the result names the engine that rendered', async () => {
    const { logger, lines } = capturingLogger();
    const chain = createTtsChain([failing('espeak-ng-wasm', 'wasm broke'), createToneEngine()], logger);
    expect(chain.name).toBe('espeak-ng-wasm');
    expect(chain.engines).toEqual(['espeak-ng-wasm', 'tone']);
    expect(chain.voiceFor(req)).toBe('espeak-ng-wasm-voice');
    const out = await chain.synthesize(req);
    expect(out.engine).toBe('tone');
    expect(out.voice).toBe('tone');
    expect(out.wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(lines).toEqual([expect.objectContaining({ level: 40, engine: 'espeak-ng-wasm', msg: 'text-to-speech engine failed; trying the next one' })]);
  });

  it('the first engine that works renders; later ones are not asked', async () => {
    let asked = 0;
    const counting: TtsEngine = { ...createToneEngine(), name: 'second', synthesize: async (r) => (asked++, { ...(await createToneEngine().synthesize(r)), engine: 'second' }) };
    const chain = createTtsChain([failing('first'), counting, failing('third')], silentLogger());
    expect((await chain.synthesize(req)).engine).toBe('second');
    expect(asked).toBe(1);
  });

  it('every engine failing is one TtsError naming each; a single engine keeps its own error', async () => {
    const chain = createTtsChain([failing('a', 'no a'), failing('b', 'no b')], silentLogger());
    await expect(chain.synthesize(req)).rejects.toThrow('every engine failed (a: no a; b: no b)');
    const one = createTtsChain([failing('only', 'quota exceeded')], silentLogger());
    await expect(one.synthesize(req)).rejects.toThrow(new TtsError('quota exceeded'));
  });

  it('a caller that gave up gets the error, not a fallback', async () => {
    let toneAsked = false;
    const tone: TtsEngine = { ...createToneEngine(), synthesize: async (r) => ((toneAsked = true), createToneEngine().synthesize(r)) };
    const chain = createTtsChain([failing('first'), tone], silentLogger());
    await expect(chain.synthesize(req, AbortSignal.abort())).rejects.toThrow(TtsError);
    expect(toneAsked).toBe(false);
  });

  it('close() closes every engine that can be closed', async () => {
    const closed: string[] = [];
    const closable = (name: string): TtsEngine => ({ ...createToneEngine(), name, close: async () => void closed.push(name) });
    await createTtsChain([closable('a'), createToneEngine(), closable('b')], silentLogger()).close?.();
    expect(closed).toEqual(['a', 'b']);
  });

  it('needs at least one engine', () => {
    expect(() => createTtsChain([], silentLogger())).toThrow(/at least one engine/);
  });
});

describe('engine selection (TTS_ENGINE)', () => {
  const none = { espeak: false, espeakWasm: false };
  const wasmOnly = { espeak: false, espeakWasm: true };
  const both = { espeak: true, espeakWasm: true };
  const creds = { GOOGLE_APPLICATION_CREDENTIALS: '/etc/sa.json' };

  it('auto: Google when configured, else the npm engine, else the espeak-ng binary, and the tone last', () => {
    expect(ttsEngineOrder({ TTS_ENGINE: 'auto', ...creds }, both)).toEqual(['google', 'espeak-wasm', 'espeak', 'tone']);
    expect(ttsEngineOrder({ TTS_ENGINE: 'auto' }, both)).toEqual(['espeak-wasm', 'espeak', 'tone']);
    expect(ttsEngineOrder({ TTS_ENGINE: 'auto' }, wasmOnly)).toEqual(['espeak-wasm', 'tone']);
    expect(ttsEngineOrder({ TTS_ENGINE: 'auto' }, { espeak: true, espeakWasm: false })).toEqual(['espeak', 'tone']);
    expect(ttsEngineOrder({ TTS_ENGINE: 'auto' }, none)).toEqual(['tone']);
  });

  it('an explicit choice comes first (even when it looks missing), then the other offline engines', () => {
    expect(ttsEngineOrder({ TTS_ENGINE: 'google' }, both)).toEqual(['google', 'espeak-wasm', 'espeak', 'tone']);
    expect(ttsEngineOrder({ TTS_ENGINE: 'espeak' }, both)).toEqual(['espeak', 'espeak-wasm', 'tone']);
    expect(ttsEngineOrder({ TTS_ENGINE: 'espeak' }, wasmOnly)).toEqual(['espeak', 'espeak-wasm', 'tone']);
    expect(ttsEngineOrder({ TTS_ENGINE: 'espeak-wasm', ...creds }, both)).toEqual(['espeak-wasm', 'espeak', 'tone']);
    expect(ttsEngineOrder({ TTS_ENGINE: 'espeak-wasm' }, none)).toEqual(['espeak-wasm', 'tone']);
    expect(ttsEngineOrder({ TTS_ENGINE: 'tone', ...creds }, both)).toEqual(['tone']);
  });

  it('(d) a fresh install (no Google, no espeak-ng binary) speaks with the npm engine', async () => {
    const { logger, lines } = capturingLogger();
    const tts = createTtsEngine({ TTS_ENGINE: 'auto' }, logger, { espeak: () => false });
    try {
      expect(tts.name).toBe('espeak-ng-wasm');
      expect(tts.engines).toEqual(['espeak-ng-wasm', 'tone']);
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'text-to-speech engine selected', engine: 'espeak-ng-wasm', engines: ['espeak-ng-wasm', 'tone'] }));
      const out = await tts.synthesize(req);
      expect(out).toMatchObject({ engine: 'espeak-ng-wasm', voice: 'en-gb' });
    } finally {
      await tts.close?.();
    }
  }, 60_000);

  it('names the chain after its first engine, and warns when nothing but the tone is left', () => {
    const { logger, lines } = capturingLogger();
    expect(createTtsEngine({ TTS_ENGINE: 'auto', ...creds }, logger, { espeak: () => true, espeakWasm: () => true }).name).toBe('google');
    expect(createTtsEngine({ TTS_ENGINE: 'espeak' }, logger, { espeak: () => false, espeakWasm: () => true }).engines).toEqual(['espeak-ng', 'espeak-ng-wasm', 'tone']);
    expect(createTtsEngine({ TTS_ENGINE: 'google' }, logger, { espeak: () => true, espeakWasm: () => true }).name).toBe('google');
    expect(createTtsEngine({ TTS_ENGINE: 'auto' }, logger, { espeak: () => false, espeakWasm: () => false }).engines).toEqual(['tone']);
    const warnings = lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings).toEqual([
      'TTS_ENGINE=espeak but espeak-ng does not run; greetings fall back to the next engine until it is installed',
      'TTS_ENGINE=google without GOOGLE_APPLICATION_CREDENTIALS: using application default credentials',
      'no speech engine is installed (run npm install): greetings will be a tone',
    ]);
  });

  it('espeakAvailable is false for a missing binary', () => {
    expect(espeakAvailable(join(tmp, 'missing'))).toBe(false);
  });
});
