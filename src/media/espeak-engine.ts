import { spawn } from 'node:child_process';
import { TtsError, type TtsEngine, type TtsRequest } from './tts-engine.ts';
import { toMonoPcm16 } from './normalize-wav.ts';
import { espeakVoiceFor } from './espeak-voice.ts';

export interface EspeakOptions {
  /** Executable name or path. */
  binary?: string;
  /** Words per minute. */
  speed?: number;
  timeoutMs?: number;
  /** Largest WAV accepted from the process (a runaway never fills memory). */
  maxBytes?: number;
}

/**
 * Offline speech with the espeak-ng binary. The text goes to the process on stdin (no shell,
 * no argument parsing of user text); its 22050 Hz streaming WAV is converted to the
 * requested rate. Every run has a timeout and honours the caller's AbortSignal.
 */
export function createEspeakEngine(opts: EspeakOptions = {}): TtsEngine {
  const binary = opts.binary ?? 'espeak-ng';
  const speed = opts.speed ?? 160;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const maxBytes = opts.maxBytes ?? 50 * 1024 * 1024;

  function run(req: TtsRequest, signal?: AbortSignal): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      if (signal?.aborted) return reject(new TtsError('espeak-ng: aborted'));
      const child = spawn(binary, ['--stdout', '-v', espeakVoiceFor(req.language), '-s', String(speed)], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const chunks: Buffer[] = [];
      let size = 0;
      let stderr = '';
      let settled = false;

      const finish = (err: TtsError | null, out?: Buffer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err) {
          child.kill('SIGKILL');
          reject(err);
        } else resolve(out as Buffer);
      };
      const onAbort = () => finish(new TtsError('espeak-ng: aborted'));
      const timer = setTimeout(() => finish(new TtsError(`espeak-ng timed out after ${timeoutMs} ms`)), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });

      child.on('error', (err: NodeJS.ErrnoException) =>
        finish(new TtsError(err.code === 'ENOENT' ? `espeak-ng is not installed (${binary} not found)` : `espeak-ng failed to start: ${err.message}`)),
      );
      child.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) return finish(new TtsError(`espeak-ng produced more than ${maxBytes} bytes`));
        chunks.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < 2000) stderr += chunk.toString('utf8');
      });
      child.on('close', (code, sig) => {
        if (code !== 0) {
          const why = stderr.trim() || (sig ? `killed by ${sig}` : `exit code ${code}`);
          return finish(new TtsError(`espeak-ng failed: ${why}`));
        }
        finish(null, Buffer.concat(chunks));
      });
      // EPIPE when the process dies early is reported through 'close'.
      child.stdin.on('error', () => undefined);
      child.stdin.end(req.text, 'utf8');
    });
  }

  return {
    name: 'espeak-ng',
    voiceFor: (req) => espeakVoiceFor(req.language),
    async synthesize(req, signal) {
      const raw = await run(req, signal);
      try {
        return { wav: toMonoPcm16(raw, req.sampleRate).wav, engine: 'espeak-ng', voice: espeakVoiceFor(req.language) };
      } catch (err) {
        throw new TtsError(`espeak-ng returned unusable audio: ${(err as Error).message}`);
      }
    },
  };
}
