/** Inbound client against the emulator's inbound mode (auth, api, bgapi, events, reconnect). */
import { afterEach, describe, expect, it } from 'vitest';
import { InboundClient, backoffDelay, type InboundState } from '../../src/esl/inbound-client.ts';
import { EslClosedError, EslCommandError } from '../../src/esl/replies.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { InboundEmulator } from '../emulator/inbound-server.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(options: { password?: string; emulator?: ConstructorParameters<typeof InboundEmulator>[0] } = {}) {
  const emu = new InboundEmulator(options.emulator);
  const port = await emu.listen();
  const client = new InboundClient({
    port,
    password: options.password ?? 'ClueCon',
    logger: silentLogger(),
    commandTimeoutMs: 500,
    authTimeoutMs: 300,
    reconnect: { initialDelayMs: 10, maxDelayMs: 40, factor: 2 },
    events: ['CHANNEL_CREATE'],
  });
  cleanups.push(() => emu.close());
  cleanups.push(() => client.close());
  return { emu, client, port };
}

describe('InboundClient', () => {
  it('authenticates, subscribes, runs api and maps -ERR to EslCommandError', async () => {
    const { client, emu } = await setup();
    client.start();
    await client.waitConnected({ timeoutMs: 1_000 });
    expect(client.connected).toBe(true);
    const status = await client.api('status');
    expect(status.body).toMatch(/^UP 0 years/);
    await expect(client.api('callcenter_config queue reload 5001@default')).resolves.toMatchObject({ text: '' });
    await expect(client.api('reloadxml')).resolves.toMatchObject({ text: '[Success]' });
    const err = await client.api('nonexistent_cmd').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EslCommandError);
    expect((err as EslCommandError).reason).toBe('nonexistent_cmd Command not found!');
    expect(emu.commandLog.slice(0, 2)).toEqual(['auth ***', 'event plain BACKGROUND_JOB CHANNEL_CREATE']);
  });

  it('correlates concurrent bgapi jobs by our Job-UUID', async () => {
    const { client, emu } = await setup({ emulator: { originate: (a) => (a.includes('busy') ? 'USER_BUSY' : undefined) } });
    client.start();
    await client.waitConnected({ timeoutMs: 1_000 });
    const created: string[] = [];
    client.onEvent((e) => e.name === 'CHANNEL_CREATE' && created.push(e.uniqueId ?? ''));
    const [ok, status, busy] = await Promise.allSettled([
      client.bgapi('originate {origination_caller_id_number=4242}loopback/ok/public &park()'),
      client.bgapi('status'),
      client.bgapi('originate sofia/internal/busy@x &park()'),
    ]);
    expect(ok.status === 'fulfilled' && ok.value.text).toMatch(/^[0-9a-f-]{36}$/);
    expect(status.status === 'fulfilled' && status.value.body).toMatch(/^UP/);
    expect(busy.status === 'rejected' && (busy.reason as EslCommandError).reason).toBe('USER_BUSY');
    if (ok.status === 'fulfilled') {
      expect(created).toContain(ok.value.text);
      const sent = emu.recorders[0]!.commands().find((c) => c.startsWith('bgapi originate {'));
      expect(sent).toContain(`Job-UUID: ${ok.value.jobUuid}`);
    }
  });

  it('reconnects with backoff after FreeSWITCH restarts, rejecting what was pending', async () => {
    const { client, emu, port } = await setup({ emulator: { bgapiDelayMs: 5_000 } });
    const states: InboundState[] = [];
    client.onState((s) => states.push(s));
    client.start();
    await client.waitConnected({ timeoutMs: 1_000 });
    const pending = client.bgapi('status', { timeoutMs: 5_000 });
    await new Promise((r) => setTimeout(r, 20));
    await emu.close();
    await expect(pending).rejects.toBeInstanceOf(EslClosedError);
    await expect(client.api('status')).rejects.toBeInstanceOf(EslClosedError);
    await new Promise((r) => setTimeout(r, 60));
    expect(client.connected).toBe(false);
    const again = new InboundEmulator({ port });
    await again.listen();
    cleanups.push(() => again.close());
    await client.waitConnected({ timeoutMs: 2_000 });
    await expect(client.api('status')).resolves.toMatchObject({ ok: true });
    expect(states[0]).toBe('connecting');
    expect(states).toContain('disconnected');
    expect(states.at(-1)).toBe('connected');
    await client.close();
    expect(client.state).toBe('closed');
  });

  it('never connects with a wrong password, and close() stops the retries', async () => {
    const { client, emu } = await setup({ password: 'wrong' });
    client.start();
    await expect(client.waitConnected({ timeoutMs: 150 })).rejects.toMatchObject({ name: 'EslTimeoutError' });
    await client.close();
    const attempts = emu.recorders.length;
    expect(attempts).toBeGreaterThan(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(emu.recorders.length).toBe(attempts);
  });

  it('backoff is exponential and capped', () => {
    const o = { initialDelayMs: 100, maxDelayMs: 1_000, factor: 2 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, o))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });
});
