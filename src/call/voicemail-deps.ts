import { join, resolve } from 'node:path';
import type { Config } from '../runtime/env.ts';
import type { CallDeps, VoicemailCallDeps } from './session.ts';
import type { TtsEngine } from '../media/tts-engine.ts';
import { greetingRenderer } from '../services/voicemail/greeting.ts';

/** `record <path> <max s> <threshold> <hits>`: below this energy for this many seconds ends the message. */
export const SILENCE_THRESHOLD = 200;
export const SILENCE_HITS_S = 5;
/** Shorter recordings (a caller who hung up at the beep) are not kept. */
export const MIN_MESSAGE_MS = 500;
export const DEFAULT_MAX_SECONDS = 120;

export type { VoicemailCallDeps } from './session.ts';

/**
 * For main.ts: `<RECORDINGS_DIR or DATA_DIR>/voicemail`, VOICEMAIL_MAX_SECONDS, the configured TTS engine.
 * Without an engine (the call simulator) a box whose greeting is not rendered yet plays only the beep.
 */
export function voicemailCallDeps(config: Config, tts?: TtsEngine): VoicemailCallDeps {
  return {
    messagesDir: resolve(config.RECORDINGS_DIR ?? config.DATA_DIR, 'voicemail'),
    maxSeconds: config.VOICEMAIL_MAX_SECONDS,
    ...(tts ? { greetings: greetingRenderer(config, tts) } : {}),
  };
}

/**
 * The call's voicemail collaborators. Without `deps.voicemail`, messages go under the call recordings
 * directory (`<recordingsDir>/voicemail`) with the default limit; with neither, voicemail cannot store
 * anything (null).
 */
export function voicemailDepsOf(deps: CallDeps): VoicemailCallDeps | null {
  if (deps.voicemail) return deps.voicemail;
  const dir = deps.settings.recordingsDir;
  return dir ? { messagesDir: join(dir, 'voicemail'), maxSeconds: DEFAULT_MAX_SECONDS } : null;
}
