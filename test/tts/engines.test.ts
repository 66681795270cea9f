import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '../../src/media/wav.ts';
import { TtsError } from '../../src/media/tts-engine.ts';
import { createEspeakEngine } from '../../src/media/espeak-engine.ts';
import { espeakVoiceFor } from '../../src/media/espeak-voice.ts';
import { buildGoogleRequest, createGoogleEngine, type GoogleSynthesizeRequest, type GoogleTtsClient } from '../../src/media/google-engine.ts';
import { espeakAvailable } from '../../src/media/create-tts.ts';
import { createToneEngine } from '../../src/media/tone-engine.ts';
import { toMonoPcm16 } from '../../src/media/normalize-wav.ts';

const HAS_ESPEAK = espeakAvailable();
const req = { text: 'Welcome to Acme. Press 1 for sales.', language: 'en-IN', voice: 'en-IN-Wavenet-D', sampleRate: 8000 };
const tmp = mkdtempSync(join(tmpdir(), 'tts-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A stand-in binary: a shell script that behaves as we tell it (the engine never uses a shell itself). */
function fakeBinary(name: string, script: string): string {
  const path = join(tmp, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

function expectPcm16Mono(wav: Buffer, rate: number) {
  const info = decodeWav(wav);
  expect(info).toMatchObject({ format: 1, channels: 1, bitsPerSample: 16, sampleRate: rate });
  expect(info.data.length).toBeGreaterThan(0);
}

describe('espeak-ng voice mapping', () => {
  it('maps BCP-47 tags to espeak voices and never yields an option-like string', () => {
    expect(espeakVoiceFor('en-IN')).toBe('en-gb');
    expect(espeakVoiceFor('en-US')).toBe('en-us');
    expect(espeakVoiceFor('hi-IN')).toBe('hi');
    expect(espeakVoiceFor('ta-IN')).toBe('ta');
    expect(espeakVoiceFor('fr-FR')).toBe('fr-fr');
    expect(espeakVoiceFor('zh-CN')).toBe('cmn');
    expect(espeakVoiceFor('--stdin')).toBe('en');
    expect(espeakVoiceFor('en IN; rm -rf /')).toBe('en');
  });
});

describe.skipIf(!HAS_ESPEAK)('espeak-ng engine (binary installed)', () => {
  it('synthesizes mono 16-bit wav at 8000 and 16000 Hz', async () => {
    const engine = createEspeakEngine();
    expect(engine.name).toBe('espeak-ng');
    const { wav: wav8, engine: used, voice } = await engine.synthesize(req);
    expect({ used, voice }).toEqual({ used: 'espeak-ng', voice: 'en-gb' });
    expectPcm16Mono(wav8, 8000);
    const seconds = decodeWav(wav8).data.length / 2 / 8000;
    expect(seconds).toBeGreaterThan(1);
    expectPcm16Mono((await engine.synthesize({ ...req, language: 'hi-IN', sampleRate: 16000 })).wav, 16000);
  });

  it('passes text that looks like options or shell syntax as plain text', async () => {
    const { wav } = await createEspeakEngine().synthesize({ ...req, text: '--help; $(touch /tmp/pwned) `id`' });
    expectPcm16Mono(wav, 8000);
  });

  it('an unknown voice is a TtsError', async () => {
    await expect(createEspeakEngine().synthesize({ ...req, language: 'xx-YY' })).rejects.toThrow(TtsError);
  });
});

describe('espeak-ng engine failure paths (fake binaries)', () => {
  it('a missing binary is a clear TtsError', async () => {
    await expect(createEspeakEngine({ binary: join(tmp, 'nope') }).synthesize(req)).rejects.toThrow(/not installed/);
  });

  it('a non-zero exit reports stderr', async () => {
    const bin = fakeBinary('fails', 'echo "voice broke" >&2; exit 3');
    await expect(createEspeakEngine({ binary: bin }).synthesize(req)).rejects.toThrow(/espeak-ng failed: voice broke/);
  });

  it('times out and kills a hung process', async () => {
    const bin = fakeBinary('hangs', 'exec sleep 30');
    const started = Date.now();
    await expect(createEspeakEngine({ binary: bin, timeoutMs: 200 }).synthesize(req)).rejects.toThrow(/timed out/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('honours an AbortSignal', async () => {
    const bin = fakeBinary('slow', 'exec sleep 30');
    const ac = new AbortController();
    const p = createEspeakEngine({ binary: bin }).synthesize(req, ac.signal);
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toThrow(/aborted/);
    await expect(createEspeakEngine({ binary: bin }).synthesize(req, AbortSignal.abort())).rejects.toThrow(/aborted/);
  });

  it('garbage on stdout is a TtsError, not a crash', async () => {
    const bin = fakeBinary('garbage', 'cat >/dev/null; echo not-a-wav');
    await expect(createEspeakEngine({ binary: bin }).synthesize(req)).rejects.toThrow(/unusable audio/);
  });
});

describe('Google engine (fake client; Google is never called in tests)', () => {
  it('maps the request: LINEAR16 at the target rate, voice name only when it matches the language', () => {
    expect(buildGoogleRequest(req)).toEqual({
      input: { text: req.text },
      voice: { languageCode: 'en-IN', name: 'en-IN-Wavenet-D' },
      audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 8000 },
    });
    expect(buildGoogleRequest({ ...req, language: 'hi-IN', voice: 'en-IN-Wavenet-D', sampleRate: 16000 })).toEqual({
      input: { text: req.text },
      voice: { languageCode: 'hi-IN' },
      audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: 16000 },
    });
    expect(buildGoogleRequest({ ...req, voice: 'en-gb' }).voice).toEqual({ languageCode: 'en-IN' });
  });

  it('loads the client lazily, once, and returns normalized audio', async () => {
    const seen: GoogleSynthesizeRequest[] = [];
    let loads = 0;
    const client: GoogleTtsClient = {
      async synthesizeSpeech(r, opts) {
        seen.push(r);
        expect(opts?.timeout).toBeGreaterThan(0);
        // Google answers at another rate here: the engine converts.
        return [{ audioContent: new Uint8Array(encodeWav(new Int16Array(24000).fill(1000), 24000)) }];
      },
    };
    const engine = createGoogleEngine({ loadClient: async () => (loads++, client) });
    expect(loads).toBe(0);
    const { wav, engine: used, voice } = await engine.synthesize(req);
    await engine.synthesize(req);
    expect(loads).toBe(1);
    expect({ used, voice }).toEqual({ used: 'google', voice: 'en-IN-Wavenet-D' });
    expect(engine.voiceFor({ ...req, voice: 'en-gb' })).toBe('default');
    expect(seen).toHaveLength(2);
    expectPcm16Mono(wav, 8000);
    expect(decodeWav(wav).data.length).toBe(16000);
  });

  it('accepts base64 audio and bare PCM', async () => {
    const pcm = Buffer.alloc(1600);
    const engine = createGoogleEngine({ loadClient: async () => ({ synthesizeSpeech: async () => [{ audioContent: pcm.toString('base64') }] }) });
    const { wav } = await engine.synthesize(req);
    expect(decodeWav(wav).data.length).toBe(1600);
  });

  it('wraps client and loader errors in TtsError and retries loading later', async () => {
    let attempt = 0;
    const engine = createGoogleEngine({
      loadClient: async () => {
        if (attempt++ === 0) throw new Error('Could not load the default credentials');
        return { synthesizeSpeech: async () => { throw Object.assign(new Error('7 PERMISSION_DENIED'), { code: 7 }); } };
      },
    });
    await expect(engine.synthesize(req)).rejects.toThrow(/Google TTS failed: Could not load/);
    await expect(engine.synthesize(req)).rejects.toThrow(/Google TTS failed: 7 PERMISSION_DENIED/);
    const empty = createGoogleEngine({ loadClient: async () => ({ synthesizeSpeech: async () => [{ audioContent: null }] }) });
    await expect(empty.synthesize(req)).rejects.toThrow(TtsError);
  });

  it('an abort ends the wait even if the client never answers', async () => {
    const engine = createGoogleEngine({ loadClient: async () => ({ synthesizeSpeech: () => new Promise(() => undefined) }) });
    const ac = new AbortController();
    const p = engine.synthesize(req, ac.signal);
    setTimeout(() => ac.abort(), 20);
    await expect(p).rejects.toThrow(/aborted/);
  });
});

describe('toMonoPcm16', () => {
  it('passes 16-bit mono at the target rate through unchanged', () => {
    const wav = encodeWav(Int16Array.from([1, -2, 300, -32768, 32767]), 8000);
    expect(toMonoPcm16(wav, 8000).wav.equals(wav)).toBe(true);
  });

  it('reads a streaming header (size 0xFFFFFFFF) and downmixes 8-bit stereo', () => {
    const wav = encodeWav(new Int16Array(0), 8000);
    wav.writeUInt16LE(2, 22);
    wav.writeUInt16LE(8, 34);
    wav.writeUInt32LE(0xffffffff, 40);
    const data = Buffer.from([128, 128, 255, 255, 0, 0, 192, 64]);
    const out = toMonoPcm16(Buffer.concat([wav, data]), 8000);
    expect(out.samples).toBe(4);
    expect(Array.from(new Int16Array(out.wav.buffer.slice(out.wav.byteOffset + 44, out.wav.byteOffset + 52)))).toEqual([0, 32511, -32767, 0]);
  });

  it('rejects what is not a usable wav', () => {
    expect(() => toMonoPcm16(Buffer.from('hello'), 8000)).toThrow();
    expect(() => toMonoPcm16(encodeWav(new Int16Array(0), 8000), 8000)).toThrow(/no audio/);
  });

  it('the tone engine output is already in the target format', async () => {
    expectPcm16Mono((await createToneEngine().synthesize({ ...req, sampleRate: 16000 })).wav, 16000);
  });
});
