import type { Logger } from '../runtime/logger.ts';
import { TtsError, type TtsEngine, type TtsRequest } from './tts-engine.ts';

export interface TtsChain extends TtsEngine {
  /** The engines in the order they are tried, e.g. ["espeak-ng-wasm", "espeak-ng", "tone"]. */
  readonly engines: readonly string[];
}

/**
 * Engines tried in order: when one throws at synthesis time the next one renders, so a broken
 * speech engine degrades to the next (and finally the tone) instead of failing the greeting.
 * The result names the engine that actually rendered. The chain's name is its first engine's:
 * what renders when all is well, and what caches are keyed by. A caller that gave up (its
 * signal aborted) gets the error, not a fallback it no longer waits for.
 */
export function createTtsChain(engines: readonly TtsEngine[], logger: Logger): TtsChain {
  const first = engines[0];
  if (!first) throw new Error('a text-to-speech chain needs at least one engine');
  return {
    name: first.name,
    engines: engines.map((e) => e.name),
    voiceFor: (req) => first.voiceFor(req),
    async synthesize(req: TtsRequest, signal?: AbortSignal) {
      const failures: string[] = [];
      let lastError: unknown;
      for (const engine of engines) {
        try {
          return await engine.synthesize(req, signal);
        } catch (err) {
          lastError = err;
          failures.push(`${engine.name}: ${(err as Error)?.message ?? String(err)}`);
          if (signal?.aborted) break;
          if (engine !== engines[engines.length - 1]) logger.warn({ err, engine: engine.name }, 'text-to-speech engine failed; trying the next one');
        }
      }
      if (failures.length === 1) throw lastError instanceof TtsError ? lastError : new TtsError(failures[0] as string);
      throw new TtsError(`every engine failed (${failures.join('; ')})`);
    },
    async close() {
      await Promise.all(engines.map((e) => (e.close ? e.close() : Promise.resolve())));
    },
  };
}
