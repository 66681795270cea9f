// GET /metrics: no login; without METRICS_TOKEN only callers on this host, with it a Bearer token; the
// Prometheus text format's content type.
import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { CALL_OUTCOMES } from '../../src/call/outcome.ts';
import { silentLogger } from '../../src/runtime/logger.ts';

const TOKEN = 'metrics-token-0123456789abcdef';
let api: AsyncTestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function withMetrics(env: Record<string, string> = {}): Promise<AsyncTestApi> {
  const metrics = createMetrics({ logger: silentLogger(), outcomes: CALL_OUTCOMES, sources: { activeCalls: () => 4 }, defaultMetrics: false });
  api = await openTestApi({ metrics }, env);
  return api;
}

/** The app on a real socket at 127.0.0.1 (in-process requests have no peer address: not local). */
async function overLoopback(a: AsyncTestApi, run: (base: string) => Promise<void>): Promise<void> {
  const server = serve({ fetch: a.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', () => r()));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

describe('GET /metrics', () => {
  it('answers a local caller without login, in the Prometheus text format', async () => {
    const a = await withMetrics();
    await overLoopback(a, async (base) => {
      const res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await res.text();
      expect(text).toContain('# TYPE switchboard_calls_active gauge\nswitchboard_calls_active 4\n');
      expect(text).toContain('# HELP switchboard_calls_total ');
    });
  });

  it('refuses a caller that is not on this host when no token is set', async () => {
    const a = await withMetrics();
    const res = await a.call('GET', '/metrics');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'forbidden' });
  });

  it('with METRICS_TOKEN: the Bearer token is required, from anywhere (local callers too)', async () => {
    const a = await withMetrics({ METRICS_TOKEN: TOKEN });
    const none = await a.call('GET', '/metrics');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect((await a.call('GET', '/metrics', { token: 'wrong-token-0123456789abcdef' })).status).toBe(401);
    // A user's login is not the metrics token.
    const org = await a.org();
    expect((await a.call('GET', '/metrics', { token: org.token })).status).toBe(401);
    const ok = await a.call('GET', '/metrics', { token: TOKEN });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await ok.text()).toContain('switchboard_calls_active 4');
    await overLoopback(a, async (base) => {
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
    });
  });

  it('is 404 in a process built without metrics', async () => {
    api = await openTestApi({}, { METRICS_TOKEN: TOKEN });
    expect((await api.call('GET', '/metrics', { token: TOKEN })).status).toBe(404);
  });
});
