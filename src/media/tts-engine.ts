/** Text-to-speech behind one interface: Google Cloud when configured, an offline engine otherwise. */
export interface TtsRequest {
  text: string;
  /** BCP-47, e.g. en-IN */
  language: string;
  /** Engine voice name, e.g. en-IN-Wavenet-D (engines map or ignore it). */
  voice: string;
  /** 8000 or 16000 */
  sampleRate: number;
}

/** What a synthesis produced, and who produced it. */
export interface TtsAudio {
  /** A complete WAV file: mono, 16-bit signed PCM, at request.sampleRate. */
  wav: Buffer;
  /** The engine that rendered it (with a fallback chain: the one that succeeded, e.g. "tone"). */
  engine: string;
  /** The engine's own voice it used, e.g. "en-gb" for espeak-ng and en-IN. */
  voice: string;
}

export interface TtsEngine {
  readonly name: string;
  /** The voice this engine uses for the request, without synthesizing (what a cached render reports). */
  voiceFor(request: TtsRequest): string;
  /** Throws TtsError on failure. */
  synthesize(request: TtsRequest, signal?: AbortSignal): Promise<TtsAudio>;
  /** Releases what the engine holds (a worker thread); the engine loads again if used after. */
  close?(): Promise<void>;
}

export class TtsError extends Error {
  override readonly name = 'TtsError';
}
