import type { Config } from '../config/env.ts';
import type { Logger } from '../logging/logger.ts';
import type { TtsEngine } from './engine.ts';
import { createToneEngine } from './tone-engine.ts';

/** Picks the text-to-speech engine from config. (Google and espeak-ng engines plug in here.) */
export function createTtsEngine(config: Config, logger: Logger): TtsEngine {
  void config;
  logger.debug('tts engine: tone');
  return createToneEngine();
}
