/**
 * `npm start` as a newcomer runs it: the real main.ts (API + ESL server, SQLite, offline defaults),
 * in a child process on free loopback ports. Checks the wiring no in-process test sees.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmulator } from '../emulator/index.ts';
import { buildProduct, startProduct, type RunningProduct } from './product.ts';

let product: RunningProduct;
let dir: string;
let http: number;
let esl: number;
let output = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-smoke-'));
  buildProduct();
  product = await startProduct({ DATA_DIR: dir, DATABASE_URL: join(dir, 'sb.db'), BOOTSTRAP_ADMIN_PASSWORD: 'smoke-test-password' });
  ({ http, esl } = product);
  await product.waitFor('management API listening', 15_000);
  output = product.output();
}, 120_000);

afterAll(async () => {
  await product?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('prints the first-start admin once, serves /health and logs in', async () => {
  expect(output).toContain('First start: created organization "Default"');
  expect(output).toContain('database: SQLite, migrations applied');
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
