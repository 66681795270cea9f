import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { insertionOrder } from '../../src/db/order.ts';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';
import { createCallEventBus } from '../../src/domain/call-events.ts';
import { createWebhookOutbox } from '../../src/services/webhooks/outbox.ts';
import { createWebhookDispatcher, type DispatcherOptions } from '../../src/services/webhooks/dispatcher.ts';
import { sign, verify } from '../../src/services/webhooks/signing.ts';
import { pino } from 'pino';
import { silentLogger } from '../../src/runtime/logger.ts';
import { startReceiver, type Receiver } from './receiver.ts';

let api: AsyncTestApi;
let receiver: Receiver | undefined;
beforeEach(async () => {
  api = await openTestApi();
});
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await api.close();
});

async function endpoint(org: TestOrg, url: string, events = ['*']): Promise<{ id: string; secret: string }> {
  const res = await api.call('POST', '/api/v1/webhooks', { token: org.token, body: { url, events } });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; secret: string };
}

function dispatcher(extra: Partial<DispatcherOptions> = {}) {
  return createWebhookDispatcher({
    db: api.deps.adb, logger: silentLogger(), timeoutMs: 300, maxAttempts: 4, backoffBaseMs: 1_000, backoffMaxMs: 60_000, pollMs: 10, ...extra,
  });
}

/** The outbox rows (in insertion order), with the columns' SQL names. */
const rows = async (status?: string) => {
  const { adb } = api.deps;
  const d = adb.t.webhookDeliveries;
  return adb.select({
    id: d.id, org_id: d.orgId, event_type: d.eventType, body: d.body, status: d.status, attempts: d.attempts, next_attempt_at: d.nextAttemptAt, last_error: d.lastError,
  }).from(d).where(status ? eq(d.status, status) : undefined).orderBy(asc(insertionOrder(adb, d)));
};

describe('webhook delivery', () => {
  it('bus event → outbox → signed POST that the documented recipe verifies', async () => {
    const org = await api.org();
    receiver = await startReceiver();
    const ep = await endpoint(org, receiver.url, ['call.answered', 'call.hangup']);
    const bus = createCallEventBus();
    const outbox = createWebhookOutbox({ db: api.deps.adb, logger: silentLogger() });
    const off = outbox.attach(bus);
    await api.deps.adb.insert(api.deps.adb.t.callLogs).values({
      id: 'c1', callUuid: 'u1', orgId: org.orgId, startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:09.000Z', durationS: 9, createdAt: 'x',
    });
    bus.emit({ type: 'call.dtmf', callId: 'c1', orgId: org.orgId, digits: '1', at: 'x' }); // not subscribed
    bus.emit({ type: 'call.answered', callId: 'c1', orgId: org.orgId, at: '2026-01-01T00:00:01.000Z' });
    bus.emit({ type: 'call.hangup', callId: 'c1', orgId: org.orgId, cause: 'NORMAL_CLEARING', disposition: 'hangup', at: '2026-01-01T00:00:09.000Z' });
    expect(await rows()).toHaveLength(0); // the listener only queues; nothing touches the network or waits
    await outbox.flush();
    expect(await rows('pending')).toHaveLength(2);
    off();
    expect(await dispatcher().runOnce()).toBe(2);
    expect(receiver.received).toHaveLength(2);
    for (const r of receiver.received) {
      const ts = r.headers['x-webhook-timestamp'] as string;
      expect(r.headers['x-webhook-signature']).toBe(sign(ep.secret, Number(ts), r.body));
      expect(verify(ep.secret, ts, r.body, r.headers['x-webhook-signature'] as string)).toBe(true);
      expect(verify('whsec_wrong_secret_wrong', ts, r.body, r.headers['x-webhook-signature'] as string)).toBe(false);
    }
    const hangup = receiver.received.map((r) => JSON.parse(r.body) as { type: string; data: { call: { id: string; duration: number } } }).find((b) => b.type === 'call.hangup')!;
    expect(hangup.data.call).toMatchObject({ id: 'c1', duration: 9 });
    expect(await rows('delivered')).toHaveLength(2);
  });

  it('a batch mixing organizations: only the one with an enabled endpoint gets rows; a disabled endpoint counts as none', async () => {
    const withHook = await api.org();
    const without = await api.org();
    const disabled = await api.org();
    receiver = await startReceiver();
    await endpoint(withHook, receiver.url);
    const off = await endpoint(disabled, receiver.url);
    await api.deps.adb.update(api.deps.adb.t.webhookEndpoints).set({ enabled: false }).where(eq(api.deps.adb.t.webhookEndpoints.id, off.id));
    const outbox = createWebhookOutbox({ db: api.deps.adb, logger: silentLogger() });
    for (const org of [without, withHook, disabled, without, withHook]) outbox.enqueue({ type: 'call.answered', orgId: org.orgId, data: {}, at: 'x' });
    expect(await outbox.flush()).toBe(2);
    expect(new Set((await rows()).map((r) => (r as unknown as { org_id: string }).org_id))).toEqual(new Set([withHook.orgId]));
    // Nothing to deliver: no rows, no error, nothing left queued.
    outbox.enqueue({ type: 'call.answered', orgId: without.orgId, data: {}, at: 'x' });
    expect(await outbox.flush()).toBe(0);
    expect(await outbox.flush()).toBe(0);
    expect(await rows()).toHaveLength(2);
  });

  it('writes the events of many calls as one batch, flushMs after the first; a full batch is written at once', async () => {
    const org = await api.org();
    receiver = await startReceiver();
    await endpoint(org, receiver.url, ['call.ringing']);
    const bus = createCallEventBus();
    // flushMs long enough that "at once" and "flushMs later" stay apart on a loaded CI machine.
    const flushMs = 2_000;
    const outbox = createWebhookOutbox({ db: api.deps.adb, logger: silentLogger(), flushMs, maxBatch: 4 });
    const batches: number[] = [];
    outbox.onWritten(() => void rows().then((r) => batches.push(r.length)));
    const off = outbox.attach(bus);
    const ring = (n: number) => bus.emit({ type: 'call.ringing', callId: `c${n}`, orgId: org.orgId, did: '+918065978001', caller: `+91980000000${n}`, at: 'x' });
    const t0 = performance.now();
    ring(1);
    ring(2);
    await new Promise((r) => setTimeout(r, 10));
    expect(await rows()).toHaveLength(0); // still gathering
    await vi.waitFor(() => expect(batches).toEqual([2]), { timeout: flushMs + 3_000, interval: 5 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(flushMs - 5); // written flushMs after the first, not before
    for (const n of [3, 4, 5, 6]) ring(n); // maxBatch reached: written on the next turn, not flushMs later
    await vi.waitFor(() => expect(batches).toEqual([2, 6]), { timeout: flushMs / 2, interval: 1 });
    off();
    const bodies = (await rows()).map((r) => JSON.parse((r as unknown as { body: string }).body) as { data: { caller: string } });
    expect(bodies.map((b) => b.data.caller).sort()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `+91980000000${n}`));
  });

  it('one event that cannot be written loses only itself: the batch is retried event by event, the bad one logged', async () => {
    const [a, b] = [await api.org(), await api.org()];
    receiver = await startReceiver();
    await endpoint(a, receiver.url);
    await endpoint(b, receiver.url);
    const logged: Array<{ level: number; msg: string; type?: string; orgId?: string; events?: number }> = [];
    const logger = pino({ level: 'error', base: undefined }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const outbox = createWebhookOutbox({ db: api.deps.adb, logger });
    const circular: Record<string, unknown> = {};
    circular.self = circular; // JSON.stringify throws inside the batch's transaction
    outbox.enqueue({ type: 'call.answered', orgId: a.orgId, data: { n: 1 }, at: 'x' });
    outbox.enqueue({ type: 'call.dtmf', orgId: b.orgId, data: circular, at: 'x' });
    outbox.enqueue({ type: 'call.answered', orgId: b.orgId, data: { n: 2 }, at: 'x' });
    outbox.enqueue({ type: 'call.hangup', orgId: a.orgId, data: { n: 3 }, at: 'x' });
    expect(await outbox.flush()).toBe(3);
    const written = await rows();
    expect(written.map((r) => [r.org_id, r.event_type, (JSON.parse(r.body) as { data: { n: number } }).data.n])).toEqual([
      [a.orgId, 'call.answered', 1], [b.orgId, 'call.answered', 2], [a.orgId, 'call.hangup', 3],
    ]);
    expect(logged.map((l) => [l.msg, l.type, l.orgId])).toEqual([
      ['webhook outbox batch failed; writing events one by one', undefined, undefined],
      ['webhook event could not be written: dropped', 'call.dtmf', b.orgId],
    ]);
    expect(await outbox.flush()).toBe(0); // nothing left queued
  });

  it('retries with exponential backoff, lists attempts, and gives up after maxAttempts', async () => {
    const org = await api.org();
    receiver = await startReceiver(() => 500);
    const ep = await endpoint(org, receiver.url);
    let clock = 1_000_000;
    const outbox = createWebhookOutbox({ db: api.deps.adb, logger: silentLogger(), now: () => clock });
    outbox.enqueue({ type: 'call.ringing', orgId: org.orgId, at: 't', data: {} });
    await outbox.flush();
    const d = dispatcher({ now: () => clock });
    const gaps: number[] = [];
    for (let i = 0; i < 4; i++) {
      expect(await d.runOnce()).toBe(1);
      expect(await d.runOnce()).toBe(0); // not due again yet
      const [row] = await rows();
      gaps.push(row!.next_attempt_at - clock);
      clock = row!.next_attempt_at;
    }
    expect(gaps.slice(0, 3)).toEqual([1_000, 2_000, 4_000]);
    expect(await rows('failed')).toHaveLength(1);
    const attempts = (await (await api.call('GET', `/api/v1/webhooks/${ep.id}/attempts`, { token: org.token })).json()) as { attempts: { attempt: number; status_code: number; error: string }[]; total: number };
    expect(attempts.total).toBe(4);
    expect(attempts.attempts[0]).toMatchObject({ attempt: 4, status_code: 500, error: 'HTTP 500' });
  });

  it('a hanging receiver times out and is retried; a dead one is an error, never a block', async () => {
    const org = await api.org();
    receiver = await startReceiver((n) => (n === 0 ? 'hang' : 204));
    await endpoint(org, receiver.url);
    const outbox = createWebhookOutbox({ db: api.deps.adb, logger: silentLogger() });
    outbox.enqueue({ type: 'call.ringing', orgId: org.orgId, at: 't', data: {} });
    await outbox.flush();
    let clock = Date.now();
    const d = dispatcher({ timeoutMs: 100, now: () => clock });
    const t0 = Date.now();
    await d.runOnce();
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect((await rows())[0]).toMatchObject({ status: 'pending', attempts: 1 });
    clock += 1_000;
    await d.runOnce();
    expect((await rows())[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    // Dead receiver: connection refused.
    const dead = await api.org();
    await endpoint(dead, 'http://127.0.0.1:9/hook');
    outbox.enqueue({ type: 'call.ringing', orgId: dead.orgId, at: 't', data: {} });
    await outbox.flush();
    await d.runOnce();
    const failed = (await rows()).find((r) => r.org_id === dead.orgId)!;
    expect(failed.last_error).toMatch(/fetch failed|ECONNREFUSED/);
  });

  it('a restart in the middle of retries loses nothing and delivers each event once', async () => {
    const org = await api.org();
    let healthy = false;
    // The requests answered 200 (a loaded machine may fit more than five failed tries before the stop).
    const ok = new Set<number>();
    receiver = await startReceiver((n) => (healthy ? (ok.add(n), 200) : 503));
    await endpoint(org, receiver.url);
    const outbox = createWebhookOutbox({ db: api.deps.adb, logger: silentLogger() });
    for (let i = 0; i < 5; i++) outbox.enqueue({ type: 'call.dtmf', orgId: org.orgId, at: 't', data: { n: i } });
    await outbox.flush();
    const first = dispatcher({ backoffBaseMs: 30 });
    first.start();
    await receiver.waitFor(5);
    await first.stop(); // "crash"/restart: only the database survives
    expect(await rows('pending')).toHaveLength(5);
    healthy = true;
    const second = dispatcher({ backoffBaseMs: 30 });
    second.start();
    const deadline = Date.now() + 5_000;
    while ((await rows('delivered')).length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await second.stop();
    expect(await rows('delivered')).toHaveLength(5);
    const okBodies = receiver.received.filter((_, i) => ok.has(i)).map((r) => (JSON.parse(r.body) as { data: { n: number } }).data.n).sort();
    expect(okBodies).toEqual([0, 1, 2, 3, 4]);
  });

  it('a claimed row whose process died is retried after the lease, not lost', async () => {
    const org = await api.org();
    receiver = await startReceiver();
    await endpoint(org, receiver.url);
    const outbox = createWebhookOutbox({ db: api.deps.adb, logger: silentLogger() });
    outbox.enqueue({ type: 'call.ringing', orgId: org.orgId, at: 't', data: {} });
    await outbox.flush();
    const clock = Date.now();
    // Simulate a crash right after claiming: push next_attempt_at by the lease, as a claim does.
    await api.deps.adb.update(api.deps.adb.t.webhookDeliveries).set({ nextAttemptAt: clock + 60_000 });
    expect(await dispatcher({ now: () => clock }).runOnce()).toBe(0);
    expect(await dispatcher({ now: () => clock + 60_001 }).runOnce()).toBe(1);
    expect(await rows('delivered')).toHaveLength(1);
  });
});
