import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { createTestApi, type TestApi, type TestOrg } from '../helpers/api.ts';
import { createEmulator, type Emulator } from '../emulator/index.ts';
import { createCallServer } from '../../src/switch/call-server.ts';
import { createCallEventBus, type CallEvent } from '../../src/domain/call-events.ts';
import { createCallRegistry } from '../../src/call/registry.ts';
import { createCallLogWriter } from '../../src/call/call-log.ts';
import { createSnapshotReader } from '../../src/publish/reader.ts';
import { callLogs } from '../../src/db/schema/index.ts';
import type { OutboundServer } from '../../src/esl/outbound-server.ts';
import { createWebhookOutbox, type WebhookOutbox } from '../../src/services/webhooks/outbox.ts';
import { voicemailCallDeps } from '../../src/call/voicemail-deps.ts';

export interface VoicemailHarness {
  api: TestApi;
  org: TestOrg;
  server: OutboundServer;
  emu: Emulator;
  events: CallEvent[];
  outbox: WebhookOutbox;
  req<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  callLog(uuid: string): typeof callLogs.$inferSelect;
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * API + database + controller wired as main.ts should wire voicemail (`deps.voicemail` from config and
 * the TTS engine), the webhook outbox on the bus, and the emulator as the switch.
 */
export async function startVoicemailController(env: Record<string, string> = {}): Promise<VoicemailHarness> {
  const api = createTestApi({}, env);
  const org = await api.org('Acme');
  const registry = createCallRegistry();
  const events: CallEvent[] = [];
  const bus = createCallEventBus();
  bus.subscribe((e) => events.push(e));
  const outbox = createWebhookOutbox({ db: api.deps.db, logger: api.deps.logger });
  const detach = outbox.attach(bus);
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
      settings: { externalGateway: 'pstn', ringTimeoutS: 20, defaultCountryCode: '91', maxIvrEntries: 10, foreverS: 3600, recordingsDir: null },
      now: () => new Date(),
      voicemail: voicemailCallDeps(api.config, api.deps.tts),
    },
  });
  const emu = createEmulator({ port: server.address().port, timeScale: 0.02 });
  return {
    api,
    org,
    server,
    emu,
    events,
    outbox,
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
      expect(bus.listenerCount()).toBe(2);
    },
    async close() {
      detach();
      await server.close();
      api.close();
    },
  };
}
