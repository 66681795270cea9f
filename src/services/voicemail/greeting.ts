import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { soundsDir, type Config } from '../../runtime/env.ts';
import type { TtsAudio, TtsEngine } from '../../media/tts-engine.ts';
import { toMonoPcm16 } from '../../media/normalize-wav.ts';
import { VoicemailGreetingError } from './errors.ts';

export const DEFAULT_VOICEMAIL_GREETING = 'The person you are calling is not available. Please leave a message after the tone.';

const LANGUAGE = 'en-IN';
const VOICE = 'en-IN-Wavenet-D';
const TTS_TIMEOUT_MS = 30_000;

/** What renders greetings: the configured engine, and a directory FreeSWITCH can read. */
export interface GreetingRenderer {
  tts: TtsEngine;
  /** Absolute directory of the rendered wav files. */
  dir: string;
  /** 8000 or 16000 */
  sampleRate: number;
}

export function greetingRenderer(config: Pick<Config, 'SOUNDS_DIR' | 'DATA_DIR' | 'TTS_SAMPLE_RATE'>, tts: TtsEngine): GreetingRenderer {
  return { tts, dir: resolve(soundsDir(config), 'voicemail'), sampleRate: config.TTS_SAMPLE_RATE };
}

/** A rendered greeting: the wav, and the engine (and its voice) that made it. */
export interface RenderedGreeting {
  path: string;
  engine: string;
  voice: string;
  /** true: an earlier render of this text was on disk. */
  cached: boolean;
}

/**
 * The file a text renders to with an engine: named by a hash of everything that shapes the audio, so it is
 * made once per directory. Keyed by the engine that rendered, so a fallback's file (the tone) is never found
 * by the next render, which tries speech again.
 */
export function greetingPath(r: GreetingRenderer, text: string, engine = r.tts.name): string {
  const hash = createHash('sha256').update([engine, r.sampleRate, LANGUAGE, VOICE, text].join('\0')).digest('hex').slice(0, 32);
  return join(r.dir, `vm_greeting_${hash}.wav`);
}

/**
 * The greeting's wav, rendered now unless a previous render is on disk. The file appears whole
 * (written aside, then renamed), so a concurrent render or a call playing it never sees half a file.
 * Throws VoicemailGreetingError when the engine fails.
 */
export async function renderGreeting(r: GreetingRenderer, text: string, signal?: AbortSignal): Promise<RenderedGreeting> {
  const request = { text, language: LANGUAGE, voice: VOICE, sampleRate: r.sampleRate };
  const preferred = greetingPath(r, text);
  if (existsSync(preferred)) return { path: preferred, engine: r.tts.name, voice: r.tts.voiceFor(request), cached: true };
  const timeout = AbortSignal.timeout(TTS_TIMEOUT_MS);
  let audio: TtsAudio;
  let wav: Buffer;
  try {
    audio = await r.tts.synthesize(request, signal ? AbortSignal.any([signal, timeout]) : timeout);
    wav = toMonoPcm16(audio.wav, r.sampleRate).wav;
  } catch (err) {
    throw new VoicemailGreetingError(`Text-to-speech failed (engine ${r.tts.name}): ${(err as Error)?.message ?? String(err)}`);
  }
  const path = audio.engine === r.tts.name ? preferred : greetingPath(r, text, audio.engine);
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(r.dir, { recursive: true });
    await writeFile(tmp, wav);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
  return { path, engine: audio.engine, voice: audio.voice, cached: false };
}
