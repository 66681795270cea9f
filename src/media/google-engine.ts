import { TtsError, type TtsEngine, type TtsRequest } from './tts-engine.ts';
import { encodeWav } from './wav.ts';
import { toMonoPcm16 } from './normalize-wav.ts';

/** The part of @google-cloud/text-to-speech's TextToSpeechClient this engine uses. */
export interface GoogleTtsClient {
  synthesizeSpeech(
    request: GoogleSynthesizeRequest,
    options?: { timeout?: number },
  ): Promise<[{ audioContent?: Uint8Array | string | null }, ...unknown[]]>;
}

export interface GoogleSynthesizeRequest {
  input: { text: string };
  voice: { languageCode: string; name?: string };
  audioConfig: { audioEncoding: 'LINEAR16'; sampleRateHertz: number };
}

export interface GoogleEngineOptions {
  /** Service-account JSON path (config GOOGLE_APPLICATION_CREDENTIALS); else application default credentials. */
  keyFilename?: string;
  timeoutMs?: number;
  /** Tests inject a fake; production loads the real client on first use. */
  loadClient?: () => Promise<GoogleTtsClient>;
}

/**
 * Google voice names start with their language, e.g. en-IN-Wavenet-D. A name for another
 * language (or an espeak/other engine's voice) is dropped and Google picks a default voice
 * for the language, instead of failing the request.
 */
export function buildGoogleRequest(req: TtsRequest): GoogleSynthesizeRequest {
  const languageCode = req.language.trim();
  const voice = req.voice.trim();
  const matches = /^[a-z]{2,3}-[A-Za-z0-9]+-/.test(voice) && voice.toLowerCase().startsWith(`${languageCode.toLowerCase()}-`);
  return {
    input: { text: req.text },
    voice: matches ? { languageCode, name: voice } : { languageCode },
    audioConfig: { audioEncoding: 'LINEAR16', sampleRateHertz: req.sampleRate },
  };
}

/** The voice name sent to Google, or "default" when Google picks its default voice for the language. */
export const googleVoiceFor = (req: TtsRequest): string => buildGoogleRequest(req).voice.name ?? 'default';

async function loadRealClient(keyFilename?: string): Promise<GoogleTtsClient> {
  const mod = await import('@google-cloud/text-to-speech');
  const Client = mod.TextToSpeechClient ?? mod.default.TextToSpeechClient;
  const client = new Client(keyFilename ? { keyFilename } : {});
  // Each synthesizeSpeech() runs `this.initialize().catch(err => { throw err; })`, which
  // rethrows into nowhere when credentials are missing: an unhandled rejection that ends
  // Node. Initializing here first turns that failure into an ordinary, handled error.
  await client.initialize();
  return client as unknown as GoogleTtsClient;
}

/**
 * Google Cloud Text-to-Speech. The client library is imported and constructed lazily on
 * the first synthesis, so a server without Google configured never loads it (an
 * unconfigured client leaves a rejected promise behind that would end the process).
 */
export function createGoogleEngine(opts: GoogleEngineOptions = {}): TtsEngine {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const load = opts.loadClient ?? (() => loadRealClient(opts.keyFilename));
  let client: Promise<GoogleTtsClient> | null = null;

  const getClient = () => {
    client ??= load().catch((err: unknown) => {
      client = null; // try again on the next request
      throw err;
    });
    return client;
  };

  async function call(req: TtsRequest, signal?: AbortSignal): Promise<Uint8Array | string> {
    if (signal?.aborted) throw new TtsError('Google TTS: aborted');
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new TtsError('Google TTS: aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined); // only ever observed through the races below
    try {
      const c = await Promise.race([getClient(), aborted]);
      const [res] = await Promise.race([c.synthesizeSpeech(buildGoogleRequest(req), { timeout: timeoutMs }), aborted]);
      if (!res.audioContent || res.audioContent.length === 0) throw new TtsError('Google TTS returned no audio');
      return res.audioContent;
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    name: 'google',
    voiceFor: googleVoiceFor,
    async synthesize(req, signal) {
      let audio: Uint8Array | string;
      try {
        audio = await call(req, signal);
      } catch (err) {
        if (err instanceof TtsError) throw err;
        throw new TtsError(`Google TTS failed: ${(err as Error)?.message ?? String(err)}`);
      }
      const bytes = typeof audio === 'string' ? Buffer.from(audio, 'base64') : Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength);
      try {
        // LINEAR16 normally arrives with a WAV header; tolerate bare PCM at the requested rate.
        const wav = bytes.toString('ascii', 0, 4) === 'RIFF' ? bytes : wrapPcm(bytes, req.sampleRate);
        return { wav: toMonoPcm16(wav, req.sampleRate).wav, engine: 'google', voice: googleVoiceFor(req) };
      } catch (err) {
        throw new TtsError(`Google TTS returned unusable audio: ${(err as Error).message}`);
      }
    },
  };
}

function wrapPcm(pcm: Buffer, sampleRate: number): Buffer {
  const samples = new Int16Array(Math.floor(pcm.length / 2));
  for (let i = 0; i < samples.length; i++) samples[i] = pcm.readInt16LE(i * 2);
  return encodeWav(samples, sampleRate);
}
