import { encodeWav } from './wav.ts';
import type { TtsEngine, TtsRequest } from './tts-engine.ts';

/**
 * Last-resort engine with no dependencies: a short two-tone chime whose length grows with the
 * text. It ends every engine chain (create-tts.ts), so a greeting whose speech engines all
 * failed is still never silence; the response then says engine "tone".
 */
export function createToneEngine(): TtsEngine {
  return {
    name: 'tone',
    voiceFor: () => 'tone',
    async synthesize(req: TtsRequest) {
      const seconds = Math.min(8, 0.6 + req.text.length / 40);
      const n = Math.round(seconds * req.sampleRate);
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) {
        const t = i / req.sampleRate;
        const f = Math.floor(t / 0.3) % 2 === 0 ? 523.25 : 659.25;
        const env = Math.min(1, (t % 0.3) * 40, (0.3 - (t % 0.3)) * 40);
        out[i] = Math.round(Math.sin(2 * Math.PI * f * t) * 8000 * env);
      }
      return { wav: encodeWav(out, req.sampleRate), engine: 'tone', voice: 'tone' };
    },
  };
}
