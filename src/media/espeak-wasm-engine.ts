/**
 * Offline speech that installs with `npm install`: eSpeak NG compiled to WebAssembly
 * (@echogarden/espeak-ng-emscripten), its voices and dictionaries inside the package, so a fresh
 * install speaks with no system package, no download and no credentials.
 *
 * Why this package (compared in README "Text-to-speech engines"): it is eSpeak NG itself, the
 * same voices and language mapping as the espeak-ng binary engine, with ~100 languages including
 * Hindi, Tamil, Telugu, Bengali, Marathi, Gujarati, Kannada, Malayalam and Punjabi, where the
 * flite build is English only; it runs on plain WebAssembly (no experimental node:wasi) and has no
 * dependencies. Cost: 24 MB unpacked, GPL-3.0 (like the espeak-ng binary the Dockerfile installs).
 * CPU time: ~0.2 s to load once, ~0.3 s for the first sentence, then ~0.1 s for a 10-word one
 * (30 ms of eSpeak, 60 ms resampling 22.05 kHz to 8 kHz).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TtsError, type TtsEngine, type TtsRequest } from './tts-engine.ts';
import { espeakVoiceFor } from './espeak-voice.ts';
import { WORKER_SOURCE, type WorkerData, type WorkerJob, type WorkerReply } from './espeak-wasm-worker.ts';
import { resample } from './resample.ts';
import { encodeWav } from './wav.ts';

export const ESPEAK_WASM_PACKAGE = '@echogarden/espeak-ng-emscripten';
const NAME = 'espeak-ng-wasm';

export interface EspeakWasmOptions {
  /** Words per minute (the espeak-ng binary engine's 160 by default). */
  speed?: number;
  /** Longest one synthesis may take, the first one's loading included; then the worker is ended. */
  timeoutMs?: number;
  /** Longest audio accepted, in seconds. */
  maxSeconds?: number;
  /** The Emscripten module (file: URL); tests point it elsewhere. Default: the installed package. */
  moduleUrl?: string;
}

/** The package's entry as a file: URL; throws when it is not installed. */
export function espeakWasmModuleUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve(ESPEAK_WASM_PACKAGE)).href;
}

/** True when the package is installed (it is a dependency: false only on a broken install). */
export function espeakWasmAvailable(): boolean {
  try {
    espeakWasmModuleUrl();
    return true;
  } catch {
    return false;
  }
}

/** eSpeak reads its input as SSML: markup in a greeting's text is spoken as text, never obeyed. */
const escapeSsml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A running worker: `ready` settles once the module is loaded; `onReply` is the job in flight. */
interface Speaker {
  worker: Worker;
  ready: Promise<void>;
  onReply: ((reply: WorkerReply | TtsError) => void) | null;
}

export function createEspeakWasmEngine(opts: EspeakWasmOptions = {}): TtsEngine & { close(): Promise<void> } {
  const speed = opts.speed ?? 160;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const maxSeconds = opts.maxSeconds ?? 600;
  // Per engine instance: the worker (loaded on first use, again after a failure) and the queue.
  let speaker: Speaker | null = null;
  let queue: Promise<void> = Promise.resolve();
  let nextId = 1;

  function spawnSpeaker(): Speaker {
    let moduleUrl: string;
    try {
      moduleUrl = opts.moduleUrl ?? espeakWasmModuleUrl();
    } catch {
      throw new TtsError(`${NAME}: ${ESPEAK_WASM_PACKAGE} is not installed (run npm install)`);
    }
    const workerData: WorkerData = { moduleUrl };
    // execArgv []: plain Node, without the parent's loaders (tsx, vitest would transform the 12 MB module).
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData, execArgv: [] });
    worker.unref(); // an idle speaker never keeps the process alive
    const s: Speaker = { worker, ready: Promise.resolve(), onReply: null };
    s.ready = new Promise<void>((resolve, reject) => {
      const dead = (err: TtsError) => {
        if (speaker === s) speaker = null;
        reject(err);
        s.onReply?.(err);
      };
      worker.on('message', (msg: WorkerReply) => {
        if (msg.type === 'ready') resolve();
        else if (msg.type === 'load-failed') dead(new TtsError(`${NAME} could not load eSpeak NG: ${msg.message}`));
        else s.onReply?.(msg);
      });
      worker.on('error', (err) => dead(new TtsError(`${NAME} worker failed: ${err.message}`)));
      worker.on('exit', (code) => dead(new TtsError(`${NAME} worker exited (code ${code})`)));
    });
    s.ready.catch(() => undefined); // observed by the job that waits for it
    return s;
  }

  /** Ends a worker that failed, hung or whose job was abandoned; the next synthesis starts another. */
  function discard(s: Speaker) {
    if (speaker === s) speaker = null;
    s.onReply = null;
    void s.worker.terminate();
  }

  function run(job: Omit<WorkerJob, 'id'>, signal?: AbortSignal): Promise<{ pcm: Int16Array; sampleRate: number }> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new TtsError(`${NAME}: aborted`));
      const s = (speaker ??= spawnSpeaker());
      const id = nextId++;
      let settled = false;
      const finish = (err: TtsError | null, out?: { pcm: Int16Array; sampleRate: number }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        s.onReply = null;
        if (err) reject(err);
        else resolve(out as { pcm: Int16Array; sampleRate: number });
      };
      const onAbort = () => {
        discard(s);
        finish(new TtsError(`${NAME}: aborted`));
      };
      const timer = setTimeout(() => {
        discard(s);
        finish(new TtsError(`${NAME} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });

      s.ready.then(
        () => {
          if (settled) return;
          s.onReply = (reply) => {
            if (reply instanceof TtsError) return finish(reply);
            if (reply.type === 'done' && reply.id === id) return finish(null, reply);
            if (reply.type === 'failed' && reply.id === id) return finish(new TtsError(`${NAME}: ${reply.message}`));
          };
          s.worker.postMessage({ ...job, id } satisfies WorkerJob);
        },
        (err: TtsError) => {
          discard(s);
          finish(err);
        },
      );
    });
  }

  /** Waits for the jobs before this one (the worker runs one at a time); an abort stops the wait. */
  function turnAfter(prev: Promise<void>, signal?: AbortSignal): Promise<void> {
    if (!signal) return prev;
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(new TtsError(`${NAME}: aborted`));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      void prev.then(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  return {
    name: NAME,
    voiceFor: (req) => espeakVoiceFor(req.language),
    async synthesize(req: TtsRequest, signal?: AbortSignal) {
      if (req.text.trim() === '') throw new TtsError(`${NAME}: the text is empty`);
      const voice = espeakVoiceFor(req.language);
      const prev = queue;
      let release!: () => void;
      queue = new Promise<void>((r) => (release = r));
      try {
        await turnAfter(prev, signal);
        const { pcm, sampleRate } = await run({ text: escapeSsml(req.text), voice, rate: speed, maxSamples: maxSeconds * 22_050 }, signal);
        if (pcm.length === 0) throw new TtsError(`${NAME} produced no audio`);
        const out = sampleRate === req.sampleRate ? pcm : resample(pcm, sampleRate, req.sampleRate);
        return { wav: encodeWav(out, req.sampleRate), engine: NAME, voice };
      } finally {
        // The next job waits for this one and everything before it.
        void prev.then(release);
      }
    },
    async close() {
      const s = speaker;
      speaker = null;
      if (s) await s.worker.terminate();
    },
  };
}
