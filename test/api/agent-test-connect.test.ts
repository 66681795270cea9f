import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';

let api: AsyncTestApi;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await api?.close();
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** A bot that accepts the upgrade when the Authorization header is right (401 otherwise); remembers what it saw. */
async function bot(): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const wss = new WebSocketServer({
    host: '127.0.0.1', port: 0,
    verifyClient: (info: { req: { headers: Record<string, string | string[] | undefined> } }, done: (ok: boolean, code?: number) => void) => {
      seen.push(String(info.req.headers.authorization));
      done(info.req.headers.authorization === 'Bearer s3cret', 401);
    },
  });
  await new Promise((r) => wss.once('listening', r));
  closers.push(() => new Promise((r) => wss.close(() => r())));
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`, seen };
}

/** A TCP server that accepts and never answers: a hung bot. */
async function silent(): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => sockets.add(s)).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  closers.push(() => new Promise((r) => {
    server.close(() => r());
    for (const s of sockets) s.destroy();
  }));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

async function deadPort(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise((r) => server.close(r));
  return `ws://127.0.0.1:${port}/`;
}

async function agent(token: string, wsUrl: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await api.call('POST', '/api/v1/ai-agents', { token, body: { name: 'Bot', ws_url: wsUrl, headers, connect_timeout_ms: 1000 } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const probe = async (token: string, id: string, body?: unknown) => {
  const res = await api.call('POST', `/api/v1/ai-agents/${id}/test-connect`, { token, body });
  return { status: res.status, json: (await res.json()) as { ok: boolean; latency_ms: number; error: string | null } };
};

describe('POST /api/v1/ai-agents/{id}/test-connect', () => {
  it('ok with the latency when the handshake succeeds, sending the stored headers', async () => {
    api = await openTestApi();
    const org = await api.org();
    const b = await bot();
    const id = await agent(org.token, b.url, { Authorization: 'Bearer s3cret' });
    const { status, json } = await probe(org.token, id);
    expect(status).toBe(200);
    expect(json).toMatchObject({ ok: true, error: null });
    expect(json.latency_ms).toBeGreaterThanOrEqual(0);
    expect(b.seen).toEqual(['Bearer s3cret']);
  });

  it('the error when refused (HTTP status), on a dead port, or when nothing answers within the timeout', async () => {
    api = await openTestApi();
    const org = await api.org();
    const wrongKey = await agent(org.token, (await bot()).url, { Authorization: 'Bearer wrong' });
    expect((await probe(org.token, wrongKey)).json).toMatchObject({ ok: false, error: 'Unexpected server response: 401' });

    const dead = await agent(org.token, await deadPort());
    const refused = await probe(org.token, dead);
    expect(refused.status).toBe(200);
    expect(refused.json.ok).toBe(false);
    expect(refused.json.error).toMatch(/ECONNREFUSED/);

    const hung = await agent(org.token, await silent());
    const started = Date.now();
    const timedOut = await probe(org.token, hung, { timeout_ms: 300 });
    expect(timedOut.json).toMatchObject({ ok: false, error: 'no handshake within 300 ms' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('needs agent.write; another org\'s agent is a 404; a bad timeout is a 400', async () => {
    api = await openTestApi();
    const org = await api.org();
    const other = await api.org();
    const id = await agent(org.token, 'ws://127.0.0.1:9/');
    const key = ((await (await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'ro', permissions: ['*.read'] } })).json()) as { key: string }).key;
    const ro = await api.call('POST', `/api/v1/ai-agents/${id}/test-connect`, { apiKey: key });
    expect(ro.status).toBe(403);
    expect((await probe(other.token, id)).status).toBe(404);
    expect((await probe(org.token, id, { timeout_ms: 50_000 })).status).toBe(400);
  });
});
