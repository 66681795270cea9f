import { spawnSync } from 'node:child_process';
import type { Config } from '../runtime/env.ts';
import type { Logger } from '../runtime/logger.ts';
import type { TtsEngine } from './tts-engine.ts';
import { createToneEngine } from './tone-engine.ts';
import { createEspeakEngine } from './espeak-engine.ts';
import { createEspeakWasmEngine, espeakWasmAvailable } from './espeak-wasm-engine.ts';
import { createGoogleEngine } from './google-engine.ts';
import { createTtsChain, type TtsChain } from './tts-chain.ts';

export type TtsConfig = Pick<Config, 'TTS_ENGINE' | 'GOOGLE_APPLICATION_CREDENTIALS'>;
/** An engine that can be chosen: TTS_ENGINE's values less "auto". */
export type TtsEngineKind = Exclude<Config['TTS_ENGINE'], 'auto'>;

/** What is installed, asked once at startup; tests inject their own answers. */
export interface TtsProbes {
  /** The espeak-ng binary runs. */
  espeak: () => boolean;
  /** The npm package with eSpeak NG's WebAssembly build is installed. */
  espeakWasm: () => boolean;
}

/** True when `espeak-ng --version` runs. Called once at startup. */
export function espeakAvailable(binary = 'espeak-ng'): boolean {
  try {
    return spawnSync(binary, ['--version'], { stdio: 'ignore', timeout: 3_000 }).status === 0;
  } catch {
    return false;
  }
}

const defaultProbes: TtsProbes = { espeak: () => espeakAvailable(), espeakWasm: espeakWasmAvailable };

/**
 * The engines to try, in order. First the chosen one (TTS_ENGINE=auto: Google when credentials
 * are configured, else the WebAssembly eSpeak NG that `npm install` brings), then the other
 * offline speech engines that are installed, and the tone last: the tone plays only when no
 * speech engine could render. An explicit choice comes first even when its prerequisites look
 * missing (with a warning), so it is tried and its failure is logged, not silently skipped.
 */
export function ttsEngineOrder(config: TtsConfig, installed: { espeak: boolean; espeakWasm: boolean }): TtsEngineKind[] {
  if (config.TTS_ENGINE === 'tone') return ['tone'];
  const order: TtsEngineKind[] = [];
  if (config.TTS_ENGINE !== 'auto') order.push(config.TTS_ENGINE);
  else if (config.GOOGLE_APPLICATION_CREDENTIALS) order.push('google');
  if (installed.espeakWasm && !order.includes('espeak-wasm')) order.push('espeak-wasm');
  if (installed.espeak && !order.includes('espeak')) order.push('espeak');
  order.push('tone');
  return order;
}

/** Builds the engine chain from config (see ttsEngineOrder); its name is the engine that renders when all is well. */
export function createTtsEngine(config: TtsConfig, logger: Logger, probes: Partial<TtsProbes> = {}): TtsChain {
  const p: TtsProbes = { ...defaultProbes, ...probes };
  const installed = { espeak: p.espeak(), espeakWasm: p.espeakWasm() };
  const order = ttsEngineOrder(config, installed);
  const make: Record<TtsEngineKind, () => TtsEngine> = {
    google: () => createGoogleEngine(config.GOOGLE_APPLICATION_CREDENTIALS ? { keyFilename: config.GOOGLE_APPLICATION_CREDENTIALS } : {}),
    'espeak-wasm': () => createEspeakWasmEngine(),
    espeak: () => createEspeakEngine(),
    tone: () => createToneEngine(),
  };
  if (config.TTS_ENGINE === 'google' && !config.GOOGLE_APPLICATION_CREDENTIALS) {
    logger.warn('TTS_ENGINE=google without GOOGLE_APPLICATION_CREDENTIALS: using application default credentials');
  }
  if (config.TTS_ENGINE === 'espeak' && !installed.espeak) logger.warn('TTS_ENGINE=espeak but espeak-ng does not run; greetings fall back to the next engine until it is installed');
  if (order[0] === 'espeak-wasm' && !installed.espeakWasm) logger.warn('TTS_ENGINE=espeak-wasm but its npm package is missing (run npm install); greetings fall back to the next engine');
  if (order[0] === 'tone' && config.TTS_ENGINE !== 'tone') logger.warn('no speech engine is installed (run npm install): greetings will be a tone');
  const chain = createTtsChain(order.map((kind) => make[kind]()), logger);
  logger.info({ engine: chain.name, engines: chain.engines, setting: config.TTS_ENGINE }, 'text-to-speech engine selected');
  return chain;
}
