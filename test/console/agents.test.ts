/** AI agents in the console: create one, test its connection against a local bot (ok) and a dead port (error), see its calls. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { CHROMIUM, shotOnFailure, startConsole, type ConsoleUnderTest } from './harness.ts';

describe.skipIf(!CHROMIUM)('AI agents in the console', () => {
  let c: ConsoleUnderTest;
  let wss: WebSocketServer;
  let botUrl: string;
  let deadUrl: string;
  const seen: string[] = [];
  beforeAll(async () => {
    c = await startConsole();
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (_socket, req) => seen.push(String(req.headers['x-bot-key'])));
    await new Promise((r) => wss.once('listening', r));
    botUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`;
    const closed = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => closed.once('listening', r));
    deadUrl = `ws://127.0.0.1:${(closed.address() as AddressInfo).port}/ws`;
    await new Promise((r) => closed.close(r));
  });
  afterAll(async () => {
    await c?.close();
    await new Promise((r) => wss?.close(r));
  });

  it('creates an agent, tests the connection (ok, then a dead port), and edits it', async () => {
    shotOnFailure(() => c, 'agents');
    const { page } = c;
    await c.login();
    await page.getByRole('link', { name: 'AI agents' }).click();
    await page.getByRole('button', { name: 'New AI agent' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Support bot');
    await page.getByLabel('WebSocket URL').fill(botUrl);
    await page.getByLabel('Headers (one "Name: value" per line)').fill('X-Bot-Key: s3cret');
    await page.getByLabel('Opening line').fill('Hello, how can I help?');
    await page.getByRole('button', { name: 'Create agent' }).click();
    await page.getByRole('heading', { name: 'AI agent: Support bot' }).waitFor();

    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/^Connected in \d+ ms$/).waitFor();
    expect(seen).toEqual(['s3cret']);
    await page.getByText('Recent calls (0)').waitFor();
    await c.shot('agents-ok');

    // Point it at a port nobody listens on: the test says so, with the error.
    await page.getByLabel('WebSocket URL').fill(deadUrl);
    await page.getByRole('button', { name: 'Save agent' }).click();
    await page.getByText('Saved Support bot').waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/^Failed after \d+ ms: .*ECONNREFUSED/).waitFor();
    await c.shot('agents-error');

    const agents = (await c.request<Array<{ ws_url: string; headers: Record<string, string>; opening_text: string }>>('GET', '/api/v1/ai-agents')).body;
    expect(agents).toEqual([expect.objectContaining({ ws_url: deadUrl, opening_text: 'Hello, how can I help?', headers: { 'X-Bot-Key': '••••' } })]);
  });
});
