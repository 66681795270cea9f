/**
 * `npm start` as a newcomer runs it: the real main.ts (API + ESL server, SQLite, offline defaults),
 * in a child process on free loopback ports. Checks the wiring no in-process test sees.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmulator } from '../emulator/index.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

let child: ChildProcess;
let dir: string;
let http: number;
let esl: number;
let output = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-smoke-'));
  [http, esl] = [await freePort(), await freePort()];
  const inbound = await freePort(); // nothing listens: the switch is "down"
  // What `npm start` runs: the compiled product (built here when src/ changed since the last build).
  try {
    execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`the build before npm start failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
  child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
    env: {
      ...process.env,
      DATA_DIR: dir,
      DATABASE_URL: join(dir, 'sb.db'),
      HTTP_PORT: String(http),
      ESL_SERVER_PORT: String(esl),
      ESL_INBOUND_PORT: String(inbound),
      BOOTSTRAP_ADMIN_PASSWORD: 'smoke-test-password',
      TTS_ENGINE: 'tone',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 15_000;
  while (!output.includes('management API listening')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);

afterAll(async () => {
  child?.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  rmSync(dir, { recursive: true, force: true });
});

it('prints the first-start admin once, serves /health and logs in', async () => {
  expect(output).toContain('First start: created organization "Default"');
  const health = (await (await fetch(`http://127.0.0.1:${http}/health`)).json()) as { status: string; switch: { connected: boolean } };
  expect(health).toMatchObject({ status: 'ok', switch: { connected: false } });
  const login = await fetch(`http://127.0.0.1:${http}/auth/user-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@example.com', password: 'smoke-test-password' }),
  });
  expect(login.status).toBe(200);
});

it('answers FreeSWITCH on the ESL port: an unknown number is not in service', async () => {
  const call = createEmulator({ port: esl, timeScale: 0.02 }).placeCall({ destination: '918000000000', callerIdNumber: '9800000001' });
  const summary = await call.done;
  expect(summary.hangupCause).toBe('UNALLOCATED_NUMBER');
  expect(call.recorder.commands()[0]).toBe('connect');
});

it('serves the web console that the build put in dist/console', async () => {
  const page = await fetch(`http://127.0.0.1:${http}/console/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(await page.text()).toContain('<script type="module" src="/console/main.js">');
  const main = await fetch(`http://127.0.0.1:${http}/console/main.js`);
  expect(main.status).toBe(200);
  expect(main.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(await main.text()).toContain('from "./api.js"');
});
