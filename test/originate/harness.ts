/** API + call control + inbound ESL client against the emulator's inbound mode with two-leg originate. */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openTestApi, type AsyncTestApi, type TestOrg, type TestSeed } from '../helpers/api.ts';
import { InboundEmulator } from '../emulator/inbound-server.ts';
import type { OriginateSimOptions } from '../emulator/inbound-originate.ts';
import { InboundClient } from '../../src/esl/inbound-client.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { createCallEventBus, type CallEvent } from '../../src/domain/call-events.ts';
import { createCallControl } from '../../src/switch/call-control.ts';
import { oneSwitch } from '../helpers/switches.ts';
import type { CallControl } from '../../src/services/calls/control.ts';

export interface CallHarness {
  api: AsyncTestApi;
  emu: InboundEmulator;
  client: InboundClient;
  control: CallControl;
  events: CallEvent[];
  recordingsDir: string;
  org(): Promise<TestOrg & { did: string; ext: string }>;
  /** Polls GET /calls/{id} until `status` (or throws after timeoutMs). */
  waitStatus(org: TestOrg, id: string, status: string | string[], timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Polls GET /calls/{id}/recordings until it lists `count` (or throws after timeoutMs). */
  waitRecordings(org: TestOrg, id: string, count: number, timeoutMs?: number): Promise<Array<{ id: string; url: string }>>;
  close(): Promise<void>;
}

let didCounter = 0;

export async function createCallHarness(sim: OriginateSimOptions = {}, opts: { connect?: boolean; seedDatabase?: string; seed?: TestSeed } = {}): Promise<CallHarness> {
  const emu = new InboundEmulator({ calls: sim });
  const port = await emu.listen();
  const client = new InboundClient({
    port, password: 'ClueCon', logger: silentLogger(), commandTimeoutMs: 1_000, authTimeoutMs: 500,
    reconnect: { initialDelayMs: 10, maxDelayMs: 50, factor: 2 },
  });
  const bus = createCallEventBus();
  const events: CallEvent[] = [];
  bus.subscribe((e) => void events.push(e));
  const recordingsDir = join('/tmp', `sb-rec-${randomUUID()}`);
  const api = await openTestApi({}, {}, { ...(opts.seedDatabase ? { seedDatabase: opts.seedDatabase } : {}), ...(opts.seed ? { seed: opts.seed } : {}) });
  // AppDeps is one object per app: adding the control after the database exists reaches every request.
  const real = createCallControl({
    db: api.deps.adb, logger: silentLogger(), bus, switches: oneSwitch(client), gateway: 'pstn', ringTimeoutS: 2,
    recordingsDir, commandTimeoutMs: 1_000, renderIntro: async (_text, callId) => `/tmp/intro_${callId}.wav`,
  });
  api.deps.calls = real;
  real.start();
  if (opts.connect !== false) {
    client.start();
    await client.waitConnected({ timeoutMs: 2_000 });
  }
  const a = api;
  return {
    api: a, emu, client, control: real, events, recordingsDir,
    async org() {
      const org = await a.org();
      const did = `+9180659${String(78_000 + ++didCounter).padStart(5, '0')}`;
      const { dids, extensions } = a.deps.adb.t;
      await a.deps.adb.insert(dids).values({ id: randomUUID(), number: did, orgId: org.orgId, status: 'active', createdAt: 'x', updatedAt: 'x' });
      await a.deps.adb.insert(extensions).values({ id: randomUUID(), orgId: org.orgId, number: '1001', name: 'Agent', sipPassword: 'pw', createdAt: 'x', updatedAt: 'x' });
      return { ...org, did, ext: '1001' };
    },
    async waitStatus(org, id, status, timeoutMs = 3_000) {
      const want = Array.isArray(status) ? status : [status];
      const deadline = Date.now() + timeoutMs;
      let last: Record<string, unknown> = {};
      while (Date.now() < deadline) {
        const res = await a.call('GET', `/api/v1/calls/${id}`, { token: org.token });
        last = (await res.json()) as Record<string, unknown>;
        if (want.includes(last.status as string)) return last;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`call ${id}: status ${String(last.status)} after ${timeoutMs} ms, wanted ${want.join('|')}`);
    },
    async waitRecordings(org, id, count, timeoutMs = 3_000) {
      const deadline = Date.now() + timeoutMs;
      let last: Array<{ id: string; url: string }> = [];
      while (Date.now() < deadline) {
        last = (await (await a.call('GET', `/api/v1/calls/${id}/recordings`, { token: org.token })).json()) as typeof last;
        if (last.length >= count) return last;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`call ${id}: ${last.length} recordings after ${timeoutMs} ms, wanted ${count}`);
    },
    async close() {
      real.stop();
      await client.close();
      await emu.close();
      await a.close();
    },
  };
}
