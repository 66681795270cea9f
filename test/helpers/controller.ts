import { expect } from 'vitest';
import { createTestApi, type TestApi, type TestOrg } from './api.ts';
import { createCallServer } from '../../src/controller/call-server.ts';
import { createCallEventBus, type CallEvent } from '../../src/calls/events.ts';
import { createCallRegistry, type CallRegistry } from '../../src/calls/registry.ts';
import { createCallLogWriter } from '../../src/calls/call-log.ts';
import { createSnapshotReader } from '../../src/publish/reader.ts';
import { callLogs } from '../../src/db/schema/index.ts';
import type { OutboundServer } from '../../src/esl/outbound-server.ts';
import { createEmulator, type Emulator } from '../emulator/index.ts';
import { eq } from 'drizzle-orm';
import type { BotBridge } from '../../src/bot/bridge.ts';
import { createMaskingLookup } from '../../src/masking/lookup.ts';

export interface ControllerOptions {
  /** The AI bridge for ai_agent routes (without it they apologise and fall back). */
  bots?: BotBridge;
  /** Inbound masking (createMaskingLookup over the harness database when true). */
  masking?: boolean;
  /** Record calls bridged to a person into this directory. */
  recordingsDir?: string;
}

export interface ControllerHarness {
  api: TestApi;
  org: TestOrg;
  server: OutboundServer;
  emu: Emulator;
  registry: CallRegistry;
  events: CallEvent[];
  /** JSON request as the org admin; fails the test on a non-2xx answer. */
  req<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  callLog(uuid: string): typeof callLogs.$inferSelect;
  /** Waits for the controller to finish every call, then checks nothing is left behind. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** The real thing minus FreeSWITCH: API + database + controller on 127.0.0.1, and the emulator as the switch. */
export async function startController(options: ControllerOptions = {}): Promise<ControllerHarness> {
  const api = createTestApi();
  const org = await api.org('Acme');
  const registry = createCallRegistry();
  const events: CallEvent[] = [];
  const bus = createCallEventBus();
  bus.subscribe((e) => events.push(e));
  const server = await createCallServer({
    host: '127.0.0.1',
    port: 0,
    logger: api.deps.logger,
    commandTimeoutMs: 2000,
    deps: {
      db: api.deps.db,
      logger: api.deps.logger,
      bus,
      registry,
      callLogs: createCallLogWriter(api.deps.db, api.deps.logger),
      snapshots: createSnapshotReader(api.deps.db),
      settings: {
        externalGateway: 'pstn', ringTimeoutS: 20, defaultCountryCode: '91', maxIvrEntries: 10, foreverS: 3600, maxTalkS: 4 * 3600,
        recordingsDir: options.recordingsDir ?? null,
      },
      now: () => new Date(),
      ...(options.bots ? { bots: options.bots } : {}),
      ...(options.masking ? { maskingLookup: createMaskingLookup(api.deps.db, () => new Date()) } : {}),
    },
  });
  const emu = createEmulator({ port: server.address().port, timeScale: 0.02 });
  return {
    api,
    org,
    server,
    emu,
    registry,
    events,
    async req(method, path, body) {
      const res = await api.call(method, path, { token: org.token, body });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
      return (text ? JSON.parse(text) : {}) as never;
    },
    callLog(uuid) {
      const row = api.deps.db.select().from(callLogs).where(eq(callLogs.callUuid, uuid)).get();
      expect(row, `call log for ${uuid}`).toBeDefined();
      return row!;
    },
    async settle() {
      await server.idle();
      expect(registry.size()).toBe(0);
      expect(server.sessions()).toHaveLength(0);
    },
    async close() {
      await server.close();
      api.close();
    },
  };
}
