/**
 * The product for the switch benchmark: the compiled API + outbound ESL server (as `npm start` runs it,
 * with its Node flags), on a temp DATA_DIR, configured only through the public HTTP API: a DID routed to
 * an IVR whose greeting is a 1.65 s wav, 1 s timeout, one try, then hang up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../../src/media/wav.ts';
import { trackChild } from '../child-reaper.ts';

const DEFAULT_HTTP_PORT = 8000;
const EMAIL = 'bench@example.com';
const PASSWORD = 'bench-switch-password';

export interface RunningController {
  readonly pid: number;
  stop(): Promise<void>;
}

/** Another instance beside the first: its own ports, the same or another data folder and database. */
export interface InstanceOptions {
  /** Default 8000. */
  readonly httpPort?: number;
  /** The outbound ESL server's port, default 8084. */
  readonly eslPort?: number;
  /** Default `<work>/data`. */
  readonly dataDir?: string;
  /** Default the SQLite file in `dataDir`. */
  readonly databaseUrl?: string;
}

export function startController(nodeArgs: string[], work: string, xmlCurlToken: string, cwd = '.', cpu?: number, o: InstanceOptions = {}): RunningController {
  const dataDir = o.dataDir ?? join(work, 'data');
  mkdirSync(dataDir, { recursive: true });
  // BENCH_SWITCH_CPU_PROF=<dir>: a V8 CPU profile of each controller (node refuses --cpu-prof in NODE_OPTIONS).
  const prof = process.env.BENCH_SWITCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SWITCH_CPU_PROF}`] : [];
  const node = [process.execPath, ...prof, ...nodeArgs];
  const argv = cpu === undefined ? node : ['taskset', '-c', String(cpu), ...node];
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      DATABASE_URL: o.databaseUrl ?? `file:${join(dataDir, 'switchboard.db')}`,
      HTTP_PORT: String(o.httpPort ?? DEFAULT_HTTP_PORT),
      ESL_SERVER_PORT: String(o.eslPort ?? 8084),
      XML_CURL_TOKEN: xmlCurlToken,
      BOOTSTRAP_ADMIN_EMAIL: EMAIL,
      BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
      LOG_LEVEL: 'warn',
      CALL_RECORDING: 'false',
      TTS_ENGINE: 'tone',
      METADATA_SERVER_DETECTION: 'none',
    },
  });
  trackChild(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A mono 16-bit 8 kHz wav of `ms` of a quiet 440 Hz tone (0 amplitude: silence). */
export function toneWav(ms: number, amplitude = 4000): Buffer {
  const rate = 8000;
  const n = Math.round((ms / 1000) * rate);
  const s = new Int16Array(n);
  for (let i = 0; i < n; i++) s[i] = Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * amplitude);
  return encodeWav(s, rate);
}

export interface BenchIvr {
  readonly ivrId: string;
  readonly greetingFile: string;
  readonly timeoutPrompt: string;
  readonly timeoutMs: number;
  readonly digitTimeoutMs: number;
}

const apiOf = (port = DEFAULT_HTTP_PORT): string => `http://127.0.0.1:${port}`;

async function call<T>(method: string, path: string, token: string | undefined, body?: unknown, port?: number): Promise<T> {
  const res = await fetch(`${apiOf(port)}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** Waits for the API to answer, then logs in as the bootstrap admin; returns the token. */
export async function loginWhenUp(port?: number): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`${apiOf(port)}/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error('the API did not come up within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return (await call<{ token: string }>('POST', '/api/v1/auth/user-login', undefined, { email: EMAIL, password: PASSWORD }, port)).token;
}

/**
 * For the AI bench: an echo bot as an AI agent (Twilio dialect, PCMU 8 kHz: the caller's frames reach the
 * bot and come back byte for byte), published, and `did` routed straight to it.
 */
export async function configureBot(work: string, did: string, botUrl: string): Promise<{ agentId: string }> {
  const token = await loginWhenUp();
  const agent = await call<{ id: string }>('POST', '/api/v1/ai-agents', token, {
    name: 'Echo bot', ws_url: botUrl, headers: {}, dialect: 'twilio', audio_format: 'pcmu_8k',
    system_prompt: null, language: 'en-IN', opening_text: null, connect_timeout_ms: 2000, fallback_destination: null,
  });
  // Agents reach calls through the published configuration, and a publish needs a menu.
  const ivr = await call<{ id: string }>('POST', '/api/v1/ivrs', token, { name: 'Bot bench', extension: '7991', timeout: 1, max_retries: 1 });
  const sounds = join(work, 'data', 'sounds');
  mkdirSync(sounds, { recursive: true });
  writeFileSync(join(sounds, `greeting_ivr_${ivr.id}.wav`), toneWav(200));
  await call('PUT', `/api/v1/ivrs/${ivr.id}/menu`, token, { options: [{ digit: '1', action_type: 'ai_agent', action_destination: agent.id }] });
  await call('POST', `/api/v1/ivrs/${ivr.id}/publish`, token);
  const added = await call<{ id: string }>('POST', '/api/v1/dids', token, { number: did, assign: true });
  await call('PUT', `/api/v1/dids/${added.id}`, token, { routing_type: 'ai_agent', routing_destination: agent.id });
  return { agentId: agent.id };
}

/** Waits for the API (of the instance on `httpPort`), then: the IVR (greeting wav written where that instance keeps it), publish, and `did` (and `moreDids`) routed to it. */
export async function configureIvr(work: string, did: string, o: { httpPort?: number; dataDir?: string; moreDids?: readonly string[] } = {}): Promise<BenchIvr> {
  const port = o.httpPort;
  const token = await loginWhenUp(port);
  const sounds = join(o.dataDir ?? join(work, 'data'), 'sounds');
  mkdirSync(sounds, { recursive: true });
  // The timeout prompt: 20 ms of silence as a file (a tone_stream default would add 0.5 s of media).
  const timeoutPrompt = join(sounds, 'bench-timeout-silence.wav');
  writeFileSync(timeoutPrompt, toneWav(20, 0));
  const ivr = await call<{ id: string; inter_digit_timeout: number }>('POST', '/api/v1/ivrs', token, {
    name: 'Switch bench',
    extension: '7990',
    timeout: 1,
    max_retries: 1,
    timeout_prompt: timeoutPrompt,
    timeout_destination: { type: 'hangup', value: null },
  }, port);
  // publish finds the greeting at <sounds>/greeting_ivr_<id>.wav (what generate-greeting writes).
  const greetingFile = join(sounds, `greeting_ivr_${ivr.id}.wav`);
  writeFileSync(greetingFile, toneWav(1650));
  // A menu needs an option to publish; the bench's caller never presses it.
  await call('PUT', `/api/v1/ivrs/${ivr.id}/menu`, token, { options: [{ digit: '1', action_type: 'hangup', action_destination: null }] }, port);
  await call('POST', `/api/v1/ivrs/${ivr.id}/publish`, token, undefined, port);
  for (const number of [did, ...(o.moreDids ?? [])]) {
    const added = await call<{ id: string }>('POST', '/api/v1/dids', token, { number, assign: true }, port);
    await call('PUT', `/api/v1/dids/${added.id}`, token, { routing_type: 'ivr', routing_destination: ivr.id }, port);
  }
  return { ivrId: ivr.id, greetingFile, timeoutPrompt, timeoutMs: 1000, digitTimeoutMs: ivr.inter_digit_timeout * 1000 };
}
