/**
 * Rendering a template: fill its placeholders, then speak the text through the TTS engine into a wav under
 * `<sounds>/tts/<org id>/<sha256>.wav`. The hash covers everything that changes the audio (the engine that
 * rendered, language, voice, sample rate, text), so the same text is synthesized once and every later render
 * is a file that exists.
 */
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { soundsDir, type Config } from '../../runtime/env.ts';
import type { Db } from '../../db/handle.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { TtsAudio, TtsEngine } from '../../media/tts-engine.ts';
import { toMonoPcm16 } from '../../media/normalize-wav.ts';
import { DomainError, NotFoundError } from '../../domain/errors.ts';
import { fillTemplate, parseTemplate, type TemplateValues } from './placeholders.ts';
import { findTemplate, recordRender } from './template-service.ts';

/** How long one synthesis may take before the render fails. */
const TTS_TIMEOUT_MS = 30_000;
const AUDIO_ID = /^[0-9a-f]{64}$/;

/** The engine failed: a 503 to the caller, and the template's status says `error` until a render succeeds. */
export class TemplateSynthesisError extends DomainError {
  override readonly name = 'TemplateSynthesisError';
  readonly code = 'service_unavailable';
}

export interface RenderDeps {
  db: Db;
  config: Pick<Config, 'SOUNDS_DIR' | 'DATA_DIR' | 'TTS_SAMPLE_RATE'>;
  tts: TtsEngine;
  logger: Logger;
  now: () => Date;
}

export interface RenderedTemplate {
  templateId: string;
  /** The file's content hash: with the template id it names the audio in the API. */
  audioId: string;
  /** Absolute path of the wav (what FreeSWITCH plays). */
  path: string;
  text: string;
  cached: boolean;
  /** The engine that rendered the file (with the fallback chain, possibly not the first one). */
  engine: string;
  /** That engine's own voice, e.g. "en-gb". */
  engineVoice: string;
  language: string;
  /** The template's voice (asked for). */
  voice: string | null;
}

const orgAudioDir = (config: RenderDeps['config'], orgId: string) => resolve(soundsDir(config), 'tts', orgId);

const exists = (path: string) => access(path).then(() => true, () => false);

/**
 * Renders a template (by id or name) with these values; the outbound call code plays `path`.
 * The cache is keyed by the engine that rendered: a file made by a fallback (the tone after the
 * speech engine failed) is never what the next render finds, so that one tries speech again.
 */
export async function renderTemplate(deps: RenderDeps, orgId: string, templateIdOrName: string, values: TemplateValues, signal?: AbortSignal): Promise<RenderedTemplate> {
  const { db, config, tts } = deps;
  const template = await findTemplate(db, orgId, templateIdOrName);
  const text = fillTemplate(parseTemplate(template.text), values);
  const voice = template.voice ?? '';
  const sampleRate = config.TTS_SAMPLE_RATE;
  const request = { text, language: template.language, voice, sampleRate };
  const audioIdFor = (engine: string) => createHash('sha256').update([engine, template.language, voice, String(sampleRate), text].join('\n')).digest('hex');
  const dir = orgAudioDir(config, orgId);
  const base = { templateId: template.id, text, language: template.language, voice: template.voice };

  const preferredId = audioIdFor(tts.name);
  const preferredPath = join(dir, `${preferredId}.wav`);
  if (await exists(preferredPath)) {
    await recordRender(db, orgId, template.id, deps.now().toISOString(), null);
    return { ...base, audioId: preferredId, path: preferredPath, engine: tts.name, engineVoice: tts.voiceFor(request), cached: true };
  }

  let audio: TtsAudio;
  let wav: Buffer;
  try {
    const timeout = AbortSignal.timeout(TTS_TIMEOUT_MS);
    audio = await tts.synthesize(request, signal ? AbortSignal.any([signal, timeout]) : timeout);
    wav = toMonoPcm16(audio.wav, sampleRate).wav;
  } catch (err) {
    const message = `Text-to-speech failed (engine ${tts.name}): ${(err as Error)?.message ?? String(err)}`;
    deps.logger.warn({ err, engine: tts.name, templateId: template.id }, 'template synthesis failed');
    await recordRender(db, orgId, template.id, deps.now().toISOString(), message);
    throw new TemplateSynthesisError(message, { template_id: template.id, status: 'error' });
  }

  const audioId = audio.engine === tts.name ? preferredId : audioIdFor(audio.engine);
  const path = join(dir, `${audioId}.wav`);
  // Written aside and renamed into place: a concurrent render of the same text, or a reader, never sees half a file.
  const tmp = join(dir, `.${audioId}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, wav);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
  await recordRender(db, orgId, template.id, deps.now().toISOString(), null);
  return { ...base, audioId, path, engine: audio.engine, engineVoice: audio.voice, cached: false };
}

/** A rendered wav of the template's organization; 404 for an unknown template, a malformed id or a file not (or no longer) there. */
export async function readRenderedAudio(deps: Pick<RenderDeps, 'db' | 'config'>, orgId: string, templateId: string, audioId: string): Promise<Buffer> {
  await findTemplate(deps.db, orgId, templateId);
  if (!AUDIO_ID.test(audioId)) throw new NotFoundError('Rendered audio not found');
  try {
    return await readFile(join(orgAudioDir(deps.config, orgId), `${audioId}.wav`));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError('Rendered audio not found');
    throw err;
  }
}
