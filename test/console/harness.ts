/**
 * One console under test: the API in-process on 127.0.0.1 (port 0) serving the built console, with a call
 * event bus and live-call tracker the test can drive, and a headless Chromium page on it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject, onTestFailed } from 'vitest';
import { createTestApi, type TestApi, type TestOrg } from '../helpers/api.ts';
import { createCallEventBus, type CallEventBus } from '../../src/domain/call-events.ts';
import { createLiveCallTracker, type LiveCallTracker } from '../../src/services/live-calls/tracker.ts';

export const CHROMIUM = inject('chromium');
const ARTIFACTS = resolve(import.meta.dirname, '../../.artifacts/console');

export interface ConsoleUnderTest {
  base: string;
  api: TestApi;
  org: TestOrg;
  bus: CallEventBus;
  tracker: LiveCallTracker;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Saves a screenshot of the page as .artifacts/console/<name>.png. */
  shot(name: string): Promise<void>;
  /** Signs in through the page with the org admin's email and password. */
  login(): Promise<void>;
  /** Signs in through the page with an API key. */
  loginWithKey(key: string): Promise<void>;
  /** A JSON request to the API as the org's admin. */
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startConsole(o: { viewport?: { width: number; height: number }; env?: Record<string, string> } = {}): Promise<ConsoleUnderTest> {
  const bus = createCallEventBus();
  const tracker = createLiveCallTracker(bus);
  const api = createTestApi({ liveCalls: tracker }, { CONSOLE_DIR: inject('consoleDir'), LIVE_CALLS_REFRESH_MS: '1000', ...o.env });
  const server = serve({ fetch: api.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const org = await api.org('Acme');
  const browser = await chromium.launch({ executablePath: CHROMIUM!, headless: true, args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] });
  const context = await browser.newContext({ viewport: o.viewport ?? { width: 1366, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The page must need nothing its Content-Security-Policy (only 'self') forbids.
  const log: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content.Security.Policy/i.test(m.text())) errors.push(m.text());
    if (m.type() === 'error' || m.type() === 'warning') log.push(`${new Date().toISOString()} console.${m.type()}: ${m.text()}`);
  });
  page.on('requestfailed', (r) => log.push(`${new Date().toISOString()} request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  mkdirSync(ARTIFACTS, { recursive: true });

  const t: ConsoleUnderTest = {
    base, api, org, bus, tracker, browser, context, page,
    shot: async (name) => {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
      if (name.startsWith('failed-')) writeFileSync(join(ARTIFACTS, `${name}.log`), `${page.url()}\n${log.join('\n')}\n`);
    },
    async login() {
      await page.goto(`${base}/console/`);
      await page.getByLabel('Email').fill(org.email);
      await page.getByLabel('Password').fill(org.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    },
    async loginWithKey(key) {
      await page.goto(`${base}/console/`);
      await page.getByLabel('API key').fill(key);
      await page.getByRole('button', { name: 'Use key' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    },
    async request(method, path, body) {
      const res = await api.call(method, path, { token: org.token, body });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as never };
    },
    async close() {
      await browser.close();
      tracker.close();
      await new Promise<void>((r) => server.close(() => r()));
      api.close();
      if (errors.length > 0) throw new Error(`errors in the page: ${errors.join('; ')}`);
    },
  };
  return t;
}

/** Call at the start of a test: when it fails, the page is saved as .artifacts/console/failed-<name>.png. */
export function shotOnFailure(c: () => ConsoleUnderTest | undefined, name: string): void {
  onTestFailed(async () => {
    await c()?.shot(`failed-${name}`).catch(() => undefined);
  });
}
