/** The inbound ESL link: /health reports it, and publish applies queues over it (and again on reconnect). */
import { afterEach, expect, it } from 'vitest';
import { InboundEmulator } from '../emulator/index.ts';
import { createInboundClient, type InboundClient } from '../../src/esl/inbound-client.ts';
import { EslCommandError } from '../../src/esl/replies.ts';
import { createSwitchSync } from '../../src/switch/switch-sync.ts';
import { createAsyncSnapshotReader } from '../../src/publish/reader.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { oneSwitch } from '../helpers/switches.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const fs = new InboundEmulator({ password: 'ClueCon' });
  const port = await fs.listen();
  cleanups.push(() => fs.close());
  const logger = silentLogger();
  const inbound = createInboundClient({ port, password: 'ClueCon', logger, reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
  let api!: AsyncTestApi;
  const sync = createSwitchSync(oneSwitch(inbound), () => createAsyncSnapshotReader(api.deps.adb).allLatest(), logger);
  api = await openTestApi({ switchControl: sync, health: () => ({ switchConnected: inbound.connected, activeCalls: 0 }) });
  cleanups.push(() => api.close());
  cleanups.push(() => inbound.close());
  return { fs, inbound, api };
}

async function publishQueue(api: AsyncTestApi) {
  const org = await api.org('Acme');
  const req = (m: string, p: string, body?: unknown) => api.call(m, p, { token: org.token, body });
  await req('POST', '/api/v1/extensions', { number: '1001', name: 'Asha' });
  await req('POST', '/api/v1/queues', { number: '5001', name: 'Sales', agents: [{ extension: '1001' }] });
  const ivr = (await (await req('POST', '/api/v1/ivrs', { name: 'Main', extension: '7001' })).json()) as { id: string };
  await req('PUT', `/api/v1/ivrs/${ivr.id}/menu`, { options: [{ digit: '1', action_type: 'queue', action_destination: '5001' }] });
  return (await (await req('POST', `/api/v1/ivrs/${ivr.id}/publish`)).json()) as { success: boolean; warnings: { code: string; message: string }[] };
}

it('/health says whether FreeSWITCH is connected', async () => {
  const { inbound, api } = await setup();
  expect(((await (await api.call('GET', '/health')).json()) as { switch: { connected: boolean } }).switch.connected).toBe(false);
  inbound.start();
  await inbound.waitConnected({ timeoutMs: 2000 });
  expect(((await (await api.call('GET', '/health')).json()) as { switch: { connected: boolean } }).switch.connected).toBe(true);
});

it('publish loads the queue into mod_callcenter and reloads the XML', async () => {
  const { fs, inbound, api } = await setup();
  inbound.start();
  await inbound.waitConnected({ timeoutMs: 2000 });
  const res = await publishQueue(api);
  expect(res.success).toBe(true);
  const cmds = fs.commandLog.join('\n');
  expect(cmds).toMatch(/callcenter_config queue (re)?load 5001@acme\.sip\.local/);
  expect(cmds).toContain('reloadxml');
});

it('a publish while the switch is away succeeds with a warning, and the queues are applied when it connects', async () => {
  const { fs, inbound, api } = await setup();
  const res = await publishQueue(api);
  expect(res.success).toBe(true);
  expect(res.warnings.some((w) => w.message.includes('not connected'))).toBe(true);
  expect(fs.commandLog.join('\n')).not.toContain('callcenter_config');
  inbound.start();
  await inbound.waitConnected({ timeoutMs: 2000 });
  await expect.poll(() => fs.commandLog.join('\n'), { timeout: 2000 }).toMatch(/callcenter_config queue (re)?load 5001@acme\.sip\.local/);
});

it('a -ERR from the switch reaches the publish as the inbound client typed it (EslCommandError), named once', async () => {
  const sent: string[] = [];
  const inbound = {
    connected: true,
    onState: () => () => undefined,
    api: async (cmd: string) => {
      sent.push(cmd);
      if (cmd.startsWith('callcenter_config queue')) throw new EslCommandError(cmd, 'Invalid Queue not found!');
      return { ok: true as const, text: '[Success]', body: '+OK [Success]\n' };
    },
  } as unknown as InboundClient;
  const sync = createSwitchSync(oneSwitch(inbound), () => [], silentLogger());
  const r = await sync.applyPublished({ queueNames: ['5001@acme'], removedQueueNames: [] });
  expect(sent).toEqual(['callcenter_config queue reload 5001@acme', 'callcenter_config queue load 5001@acme', 'reloadxml']);
  expect(r).toEqual({ applied: true, errors: ['callcenter_config queue load 5001@acme: -ERR Invalid Queue not found!'] });
});
