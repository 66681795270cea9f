import { spawnSync } from 'node:child_process';
import type { Config } from '../runtime/env.ts';
import type { Logger } from '../runtime/logger.ts';
import type { TtsEngine } from './tts-engine.ts';
import { createToneEngine } from './tone-engine.ts';
import { createEspeakEngine } from './espeak-engine.ts';
import { createGoogleEngine } from './google-engine.ts';

export type TtsConfig = Pick<Config, 'TTS_ENGINE' | 'GOOGLE_APPLICATION_CREDENTIALS'>;

/** True when `espeak-ng --version` runs. Called once at startup. */
export function espeakAvailable(binary = 'espeak-ng'): boolean {
  try {
    return spawnSync(binary, ['--version'], { stdio: 'ignore', timeout: 3_000 }).status === 0;
  } catch {
    return false;
  }
}

/**
 * Picks the text-to-speech engine from config. TTS_ENGINE=auto: Google when credentials
 * are configured, else espeak-ng when installed, else the tone engine (never silence).
 * An explicit choice is honoured even when its prerequisites look missing (with a warning),
 * so the failure shows up as a clear TTS error rather than a different voice.
 */
export function createTtsEngine(config: TtsConfig, logger: Logger, probeEspeak: () => boolean = espeakAvailable): TtsEngine {
  const google = () => createGoogleEngine(config.GOOGLE_APPLICATION_CREDENTIALS ? { keyFilename: config.GOOGLE_APPLICATION_CREDENTIALS } : {});
  let engine: TtsEngine;
  switch (config.TTS_ENGINE) {
    case 'google':
      if (!config.GOOGLE_APPLICATION_CREDENTIALS) logger.warn('TTS_ENGINE=google without GOOGLE_APPLICATION_CREDENTIALS: using application default credentials');
      engine = google();
      break;
    case 'espeak':
      if (!probeEspeak()) logger.warn('TTS_ENGINE=espeak but espeak-ng does not run; greeting generation will fail until it is installed');
      engine = createEspeakEngine();
      break;
    case 'tone':
      engine = createToneEngine();
      break;
    default:
      engine = config.GOOGLE_APPLICATION_CREDENTIALS ? google() : probeEspeak() ? createEspeakEngine() : createToneEngine();
  }
  logger.info({ engine: engine.name, setting: config.TTS_ENGINE }, 'text-to-speech engine selected');
  return engine;
}
