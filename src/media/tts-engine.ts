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

export interface TtsEngine {
  readonly name: string;
  /** Returns a complete WAV file: mono, 16-bit signed PCM, at request.sampleRate. Throws TtsError on failure. */
  synthesize(request: TtsRequest, signal?: AbortSignal): Promise<Buffer>;
}

export class TtsError extends Error {
  override readonly name = 'TtsError';
}
