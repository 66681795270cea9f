/**
 * What `npm start` runs, in a child process on free loopback ports: the compiled product (dist/main.js, built
 * first when src/ changed, as `npm start`'s prestart does). Shared by the smoke tests (SQLite and PostgreSQL).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** `npm start`'s prestart: builds dist/ when src/ changed (the script takes a lock: two callers build once). */
export function buildProduct(): void {
  try {
    execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`the build before npm start failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

export interface RunningProduct {
  readonly child: ChildProcess;
  readonly http: number;
  readonly esl: number;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves when the output contains `text`; rejects with the output when the process exits first or time is up. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** SIGTERM (a graceful drain and shutdown); resolves with the exit code. */
  stop(): Promise<number | null>;
  url(path: string): string;
}

/** Starts dist/main.js with `env` over the environment, on free HTTP/ESL ports, the switch "down". */
export async function startProduct(env: Record<string, string>): Promise<RunningProduct> {
  const [http, esl, inbound] = [await freePort(), await freePort(), await freePort()]; // nothing listens on inbound
  let output = '';
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    env: {
      ...process.env,
      HTTP_PORT: String(http),
      ESL_SERVER_PORT: String(esl),
      ESL_INBOUND_PORT: String(inbound),
      TTS_ENGINE: 'tone',
      LOG_LEVEL: 'info',
      DRAIN_TIMEOUT_MS: '5000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    http,
    esl,
    output: () => output,
    async waitFor(text, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start: no "${text}" (exit code ${child.exitCode}):\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    url: (path) => `http://127.0.0.1:${http}${path}`,
  };
}
