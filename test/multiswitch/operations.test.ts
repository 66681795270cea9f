// Operating several switches: /ready and /health list each switch and stay ready while one is connected,
// /metrics labels each link by switch, a publish reaches every switch (a switch that was away gets it when
// it connects), and GET /extensions merges the registrations of every switch.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { InboundEmulator } from '../emulator/inbound-server.ts';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { testClient } from '../helpers/switches.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { createSwitches, type Switches } from '../../src/switch/switches.ts';
import { createSwitchSync } from '../../src/switch/switch-sync.ts';
import { createAsyncSnapshotReader } from '../../src/publish/reader.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { CALL_OUTCOMES } from '../../src/call/outcome.ts';
import { createSofiaRegistrationSource } from '../../src/switch/sofia-registrations.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function emulated(port = 0) {
  const emu = new InboundEmulator({ identity: { coreUuid: randomUUID(), switchname: 'fs' }, port });
  await emu.listen();
  cleanups.push(() => emu.close());
  return emu;
}

async function setup(): Promise<{ a: InboundEmulator; b: InboundEmulator; switches: Switches; api: AsyncTestApi }> {
  const a = await emulated();
  const b = await emulated();
  const switches = createSwitches([{ id: 'a', client: testClient(a.port) }, { id: 'b', client: testClient(b.port) }], { logger: silentLogger() });
  cleanups.push(() => switches.close());
  const metrics = createMetrics({ logger: silentLogger(), outcomes: CALL_OUTCOMES, sources: { activeCalls: () => 0 }, defaultMetrics: false });
  for (const l of switches.list) metrics.watchSwitch(l.id, l.client);
  let api!: AsyncTestApi;
  const sync = createSwitchSync(switches, () => createAsyncSnapshotReader(api.deps.adb).allLatest(), silentLogger());
  api = await openTestApi({
    switchControl: sync,
    metrics,
    // As main.ts wires it.
    health: () => ({ switchConnected: switches.anyConnected, activeCalls: 0, switches: switches.list.map((l) => ({ id: l.id, connected: l.connected })) }),
  }, { METRICS_TOKEN: 'metrics-token-0123456789abcdef' });
  cleanups.push(() => api.close());
  switches.start();
  await expect.poll(() => switches.list.every((l) => l.connected), { timeout: 2_000 }).toBe(true);
  return { a, b, switches, api };
}

const ready = async (api: AsyncTestApi) => {
  const res = await api.call('GET', '/ready');
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const scrape = async (api: AsyncTestApi) => (await api.call('GET', '/metrics', { token: 'metrics-token-0123456789abcdef' })).text();

describe('readiness and metrics per switch', () => {
  it('/ready is 200 while at least one switch is connected and lists each; /metrics has each link by switch', async () => {
    const t = await setup();
    expect(await ready(t.api)).toEqual({
      status: 200, body: { ready: true, database: 'ok', switch: 'connected', switches: [{ id: 'a', connected: true }, { id: 'b', connected: true }], draining: false },
    });
    let text = await scrape(t.api);
    expect(text).toContain('switchboard_esl_inbound_connected{switch="a"} 1');
    expect(text).toContain('switchboard_esl_inbound_connected{switch="b"} 1');

    await t.b.close();
    await expect.poll(() => t.switches.get('b')!.connected, { timeout: 2_000 }).toBe(false);
    expect(await ready(t.api)).toMatchObject({ status: 200, body: { ready: true, switches: [{ id: 'a', connected: true }, { id: 'b', connected: false }] } });
    expect(await (await t.api.call('GET', '/health')).json()).toMatchObject({ switch: { connected: true, switches: [{ id: 'a', connected: true }, { id: 'b', connected: false }] } });
    text = await scrape(t.api);
    expect(text).toContain('switchboard_esl_inbound_connected{switch="b"} 0');

    // b back: its reconnect counted, for b only.
    await emulated(t.b.port);
    await expect.poll(() => t.switches.get('b')!.connected, { timeout: 3_000 }).toBe(true);
    text = await scrape(t.api);
    expect(text).toContain('switchboard_esl_inbound_reconnects_total{switch="b"} 1');
    expect(text).toContain('switchboard_esl_inbound_reconnects_total{switch="a"} 0');

    await t.a.close();
    await t.switches.get('b')!.client.close();
    await expect.poll(() => t.switches.anyConnected, { timeout: 2_000 }).toBe(false);
    expect(await ready(t.api)).toMatchObject({ status: 503, body: { ready: false, switch: 'disconnected' } });
  });
});

describe('publishing to several switches', () => {
  async function publishQueue(api: AsyncTestApi) {
    const org = await api.org('Acme');
    const req = async (m: string, p: string, body?: unknown) => (await api.call(m, p, { token: org.token, body })).json() as Promise<Record<string, unknown>>;
    await req('POST', '/api/v1/extensions', { number: '1001', name: 'Asha' });
    await req('POST', '/api/v1/queues', { number: '5001', name: 'Sales', agents: [{ extension: '1001' }] });
    const ivr = await req('POST', '/api/v1/ivrs', { name: 'Main', extension: '7001' });
    await req('PUT', `/api/v1/ivrs/${String(ivr.id)}/menu`, { options: [{ digit: '1', action_type: 'queue', action_destination: '5001' }] });
    return (await req('POST', `/api/v1/ivrs/${String(ivr.id)}/publish`)) as { success: boolean; warnings: Array<{ message: string }> };
  }
  const queueLoaded = (emu: InboundEmulator) => /callcenter_config queue (re)?load 5001@acme\.sip\.local/.test(emu.commandLog.join('\n'));

  it('a publish loads the queue on every switch; a switch that is away is named and gets it when it connects', async () => {
    const t = await setup();
    const port = t.b.port;
    await t.b.close();
    await expect.poll(() => t.switches.get('b')!.connected, { timeout: 2_000 }).toBe(false);
    const res = await publishQueue(t.api);
    expect(res.success).toBe(true);
    expect(queueLoaded(t.a)).toBe(true);
    expect(t.a.commandLog).toContain('api reloadxml');
    expect(res.warnings.map((w) => w.message)).toContain('FreeSWITCH: switch b is not connected: queues will be applied when it connects');
    const again = await emulated(port);
    await expect.poll(() => queueLoaded(again), { timeout: 3_000 }).toBe(true);
  });
});

describe('registrations from several switches', () => {
  const xml = (user: string, contact: string, expsecs: number) => `<?xml version="1.0" encoding="ISO-8859-1"?>
<profile>
  <registrations>
    <registration>
        <user>${user}@acme.sip.local</user>
        <contact>&lt;${contact}&gt;</contact>
        <agent>phone</agent>
        <status>Registered(UDP)(unknown) exp(2026-03-01 11:00:00) expsecs(${expsecs})</status>
    </registration>
  </registrations>
</profile>
`;
  const client = (body: string | Error, connected = true) => ({
    connected,
    api: () => (body instanceof Error ? Promise.reject(body) : Promise.resolve({ ok: true as const, text: body, body })),
  });

  it('merges every connected switch\'s phones; one that fails is left out, all failing is a failure', async () => {
    const now = () => new Date('2026-03-01T10:00:00.000Z');
    const source = (switches: Array<ReturnType<typeof client>>) => createSofiaRegistrationSource({ switches, profile: 'extensions', cacheMs: 0, timeoutMs: 100, now, logger: silentLogger() });
    const regs = await source([client(xml('1001', 'sip:1001@10.0.0.1', 60)), client(xml('1002', 'sip:1002@10.0.0.2', 60)), client(xml('1003', 'x', 60), false)]).registrations('acme.sip.local');
    expect([...regs.keys()].sort()).toEqual(['1001', '1002']);
    // The same extension on two switches: the registration that lasts longest.
    const both = await source([client(xml('1001', 'sip:1001@10.0.0.1', 60)), client(xml('1001', 'sip:1001@10.0.0.9', 600))]).registrations('acme.sip.local');
    expect(both.get('1001')?.contact).toBe('sip:1001@10.0.0.9');
    const partial = await source([client(new Error('timeout')), client(xml('1002', 'sip:1002@10.0.0.2', 60))]).registrations('acme.sip.local');
    expect([...partial.keys()]).toEqual(['1002']);
    await expect(source([client(new Error('timeout')), client(new Error('closed'))]).registrations('acme.sip.local')).rejects.toThrow('timeout');
  });
});
