/** Webhook events delivered per second to a local receiver (outbox → signed POST → attempt recorded), beside raw fetch. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestApi } from '../test/helpers/api.ts';
import { createWebhookOutbox } from '../src/services/webhooks/outbox.ts';
import { createWebhookDispatcher } from '../src/services/webhooks/dispatcher.ts';
import { silentLogger } from '../src/runtime/logger.ts';
import { printTable } from './table.ts';

export async function benchWebhooks(events = 3_000, concurrency = 16): Promise<void> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const api = createTestApi();
  try {
    const org = await api.org();
    await api.call('POST', '/api/v1/webhooks', { token: org.token, body: { url, events: ['*'] } });
    const body = JSON.stringify({ id: 'evt', type: 'call.dtmf', created_at: new Date().toISOString(), data: { callId: 'x', digits: '1' } });

    // Baseline: the same POSTs with plain fetch, same concurrency, no database.
    let t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next++ < events) {
        const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        await r.body?.cancel();
      }
    }));
    const baseRate = events / ((performance.now() - t0) / 1000);

    const outbox = createWebhookOutbox({ db: api.deps.adb, logger: silentLogger() });
    t0 = performance.now();
    for (let i = 0; i < events; i++) outbox.enqueue({ type: 'call.dtmf', orgId: org.orgId, at: 't', data: { callId: 'x', digits: String(i % 10) } });
    await outbox.flush();
    const enqueueMs = performance.now() - t0;
    received = 0;
    const d = createWebhookDispatcher({ db: api.deps.adb, logger: silentLogger(), timeoutMs: 5_000, maxAttempts: 3, backoffBaseMs: 1_000, backoffMaxMs: 10_000, pollMs: 5, concurrency });
    t0 = performance.now();
    d.start();
    const sqlite = api.database.sqlite;
    while ((sqlite.prepare("select count(*) as n from webhook_deliveries where status = 'delivered'").get() as { n: number }).n < events) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const rate = events / ((performance.now() - t0) / 1000);
    await d.stop();
    printTable(`Webhooks: ${events} events to a local receiver, ${concurrency} in flight`, ['path', 'events/s', 'ratio vs baseline'], [
      ['baseline: plain fetch POST, no DB', baseRate, 1],
      ['outbox → dispatcher (claim, HMAC sign, POST, record attempt)', rate, rate / baseRate],
      [`outbox enqueue (bus side), ${events} events in one flush`, events / (enqueueMs / 1000), (events / (enqueueMs / 1000)) / baseRate],
    ]);
  } finally {
    api.close();
    server.closeAllConnections();
    server.close();
  }
}
