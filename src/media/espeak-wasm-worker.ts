/**
 * The worker thread that runs eSpeak NG's WebAssembly build for espeak-wasm-engine.ts, and the
 * messages the two exchange. eSpeak synthesizes synchronously: on the main thread a long text
 * would stall every call the controller is running, and a hung synthesis could not be stopped.
 * In a worker it runs beside the event loop, and a timeout ends it with worker.terminate().
 *
 * The worker's code is plain JavaScript run with `eval: true`, so the same string works from
 * the compiled dist/ (node) and from the TypeScript sources (tsx, vitest) without a loader.
 */

/** workerData: where the Emscripten module is (a file: URL resolved by the engine). */
export interface WorkerData {
  moduleUrl: string;
}

/** One synthesis. `text` is already escaped for eSpeak's SSML reader. */
export interface WorkerJob {
  id: number;
  text: string;
  /** An eSpeak NG language/voice, e.g. "en-gb", "hi". */
  voice: string;
  /** Words per minute. */
  rate: number;
  /** More samples than this stops the synthesis (a runaway never fills memory). */
  maxSamples: number;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'load-failed'; message: string }
  | { type: 'done'; id: number; sampleRate: number; pcm: Int16Array }
  | { type: 'failed'; id: number; message: string };

/**
 * Loads the module once, then answers each WorkerJob with one reply. set_voice('', language)
 * selects by language like `espeak-ng -v` does, and returns non-zero for an unknown one.
 * The synthesis callback returning 1 tells eSpeak to stop (used for the size limit).
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const messageOf = (err) => (err && err.message) || String(err);
let speaker = null;

import(workerData.moduleUrl)
  .then((mod) => mod.default())
  .then((m) => {
    speaker = new m.eSpeakNGWorker();
    parentPort.postMessage({ type: 'ready' });
  })
  .catch((err) => parentPort.postMessage({ type: 'load-failed', message: messageOf(err) }));

parentPort.on('message', (job) => {
  try {
    if (!speaker) throw new Error('eSpeak NG is not loaded');
    if (speaker.set_voice('', job.voice) !== 0) throw new Error('no eSpeak NG voice for "' + job.voice + '"');
    speaker.set_rate(job.rate);
    const chunks = [];
    let total = 0;
    let tooLong = false;
    speaker.synthesize(job.text, (samples) => {
      if (!samples || samples.length === 0) return 0;
      total += samples.length;
      if (total > job.maxSamples) { tooLong = true; return 1; }
      chunks.push(samples);
      return 0;
    });
    if (tooLong) throw new Error('the text is too long (more than ' + job.maxSamples + ' samples)');
    const pcm = new Int16Array(total);
    let at = 0;
    for (const c of chunks) { pcm.set(c, at); at += c.length; }
    parentPort.postMessage({ type: 'done', id: job.id, sampleRate: speaker.get_samplerate(), pcm }, [pcm.buffer]);
  } catch (err) {
    parentPort.postMessage({ type: 'failed', id: job.id, message: messageOf(err) });
  }
});
`;
