import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { soundsDir, type Config } from '../../runtime/env.ts';
import { affectedRows, transaction, type Db } from '../../db/handle.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { TtsEngine } from '../../media/tts-engine.ts';
import { toMonoPcm16 } from '../../media/normalize-wav.ts';
import { NotFoundError, UpstreamError } from '../../domain/errors.ts';
import { requireIvr } from './queries.ts';

export type SoundsConfig = Pick<Config, 'SOUNDS_DIR' | 'DATA_DIR'>;

/** How long one synthesis may take before the request fails. */
const TTS_TIMEOUT_MS = 30_000;

/** The seed's prompt name: a file name without extension. */
export const greetingPromptName = (ivrId: string) => `greeting_ivr_${ivrId}`;

/** Absolute path of an IVR's greeting wav (what FreeSWITCH plays). */
export const greetingFilePath = (config: SoundsConfig, ivrId: string) => resolve(soundsDir(config), `${greetingPromptName(ivrId)}.wav`);

export interface GreetingInput {
  text: string;
  language?: string | undefined;
  voice?: string | undefined;
}

export interface GreetingResult {
  success: true;
  greeting_prompt: string;
  language: string;
  voice: string;
  /** The engine that rendered it: with the fallback chain, e.g. "tone" when the speech engines failed. */
  engine: string;
  /** That engine's own voice, e.g. "en-gb" (espeak-ng for en-IN) or "en-IN-Wavenet-D" (Google). */
  engine_voice: string;
  duration_ms: number;
}

export interface GreetingDeps {
  db: Db;
  config: Pick<Config, 'SOUNDS_DIR' | 'DATA_DIR' | 'TTS_SAMPLE_RATE'>;
  tts: TtsEngine;
  logger: Logger;
}

/** What an installed greeting records on its IVR: the prompt's name, and the text it speaks when synthesized. */
export interface GreetingColumns {
  greetingPrompt: string;
  greetingText: string | null;
  greetingLanguage?: string | undefined;
  greetingVoice?: string | undefined;
}

/** Greeting audio written beside its final place, waiting for the transaction that records it on the IVR. */
export interface StagedGreeting {
  /**
   * Inside a database transaction (`transaction(db, …)`, src/db/handle.ts): records `columns` on the IVR and
   * renames the audio over the IVR's greeting file; a failure of either rolls the row back and leaves the
   * previous greeting (file and row) as it was.
   */
  install(tx: Db, orgId: string, ivrId: string, columns: GreetingColumns): Promise<void>;
  /** Removes the staged file unless it was installed; call it in a `finally`. */
  discard(): Promise<void>;
}

/** Writes mono 16-bit PCM audio to a temp file in the sounds folder, ready to be installed as some IVR's greeting. */
export async function stageGreeting(config: SoundsConfig, wav: Buffer): Promise<StagedGreeting> {
  const dir = soundsDir(config);
  const tmpPath = join(dir, `.greeting.${randomBytes(6).toString('hex')}.tmp`);
  await mkdir(dir, { recursive: true });
  await writeFile(tmpPath, wav);
  return {
    async install(tx, orgId, ivrId, columns) {
      const { ivrs } = tx.t;
      const res = await tx.update(ivrs).set(columns).where(and(eq(ivrs.orgId, orgId), eq(ivrs.id, ivrId)));
      if (affectedRows(res) === 0) throw new NotFoundError('IVR not found'); // deleted meanwhile
      await rename(tmpPath, greetingFilePath(config, ivrId)); // a failure here rolls the row back
    },
    discard: () => rm(tmpPath, { force: true }),
  };
}

/** Inside a database transaction: the IVR has no greeting any more (a tone plays until one is made). */
export async function clearGreeting(tx: Db, config: SoundsConfig, orgId: string, ivrId: string): Promise<void> {
  const { ivrs } = tx.t;
  await tx.update(ivrs).set({ greetingPrompt: null, greetingText: null }).where(and(eq(ivrs.orgId, orgId), eq(ivrs.id, ivrId)));
  await rm(greetingFilePath(config, ivrId), { force: true }); // a failure here rolls the row back
}

/**
 * Synthesizes the greeting and installs it: the wav is written to a temp file, then the DB
 * row is updated and the file renamed over the old greeting inside one transaction. If the
 * engine fails, or anything after it, the previous greeting (file and row) is untouched.
 */
export async function generateGreeting(deps: GreetingDeps, orgId: string, ivrId: string, input: GreetingInput, signal?: AbortSignal): Promise<GreetingResult> {
  const { db, config, tts } = deps;
  const ivr = await requireIvr(db, orgId, ivrId);
  const language = input.language ?? ivr.greetingLanguage;
  const voice = input.voice ?? ivr.greetingVoice;
  const sampleRate = config.TTS_SAMPLE_RATE;

  const timeout = AbortSignal.timeout(TTS_TIMEOUT_MS);
  let audio;
  let rendered;
  try {
    rendered = await tts.synthesize({ text: input.text, language, voice, sampleRate }, signal ? AbortSignal.any([signal, timeout]) : timeout);
    audio = toMonoPcm16(rendered.wav, sampleRate);
  } catch (err) {
    deps.logger.warn({ err, engine: tts.name, ivrId }, 'greeting synthesis failed');
    throw new UpstreamError(`Text-to-speech failed (engine ${tts.name}): ${(err as Error)?.message ?? String(err)}`);
  }

  const prompt = greetingPromptName(ivr.id);
  const staged = await stageGreeting(config, audio.wav);
  try {
    await transaction(db, (tx) => staged.install(tx, orgId, ivr.id, { greetingPrompt: prompt, greetingText: input.text, greetingLanguage: language, greetingVoice: voice }));
  } finally {
    await staged.discard();
  }
  return { success: true, greeting_prompt: prompt, language, voice, engine: rendered.engine, engine_voice: rendered.voice, duration_ms: audio.durationMs };
}

/** The greeting wav bytes; 404 when none has been generated or the file is gone. */
export async function readGreeting(db: Db, config: SoundsConfig, orgId: string, ivrId: string): Promise<{ name: string; bytes: Buffer }> {
  const ivr = await requireIvr(db, orgId, ivrId);
  if (!ivr.greetingPrompt) throw new NotFoundError('No greeting generated yet');
  try {
    return { name: ivr.greetingPrompt, bytes: await readFile(greetingFilePath(config, ivr.id)) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError('Greeting file missing on disk');
    throw err;
  }
}

/** Best effort: a missing file is fine, other failures are logged. */
export async function removeGreetingFile(config: SoundsConfig, ivrId: string, logger: Logger): Promise<void> {
  try {
    await rm(greetingFilePath(config, ivrId), { force: true });
  } catch (err) {
    logger.warn({ err, ivrId }, 'could not remove greeting file');
  }
}
