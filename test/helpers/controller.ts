import { expect } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from './api.ts';
import { createCallServer } from '../../src/switch/call-server.ts';
import { createCallEventBus, type CallEvent, type CallEventBus } from '../../src/domain/call-events.ts';
import { placedCallSource } from '../../src/services/calls/placed-spec.ts';
import { createCallRegistry, type CallRegistry } from '../../src/call/registry.ts';
import { createCallLogWriter } from '../../src/call/call-log.ts';
import { botsForCalls } from '../../src/call/bots.ts';
import { createAsyncSnapshotReader } from '../../src/publish/reader.ts';
import type { callLogs } from '../../src/db/schema/index.ts';
import type { CallServer } from '../../src/switch/call-server.ts';
import { createEmulator, type Emulator } from '../emulator/index.ts';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import type { BotBridge } from '../../src/bot/bridge.ts';
import { createMaskingLookup } from '../../src/services/masking/lookup.ts';
import { createContactLookup, type ContactLookup } from '../../src/services/contacts/lookup.ts';
import type { Logger } from '../../src/runtime/logger.ts';
import { createWebhookOutbox, type WebhookOutbox } from '../../src/services/webhooks/outbox.ts';
import { voicemailCallDeps } from '../../src/call/voicemail-deps.ts';
import { createMetrics, type Metrics } from '../../src/metrics/metrics.ts';
import { CALL_OUTCOMES } from '../../src/call/outcome.ts';

/** An error- or fatal-level log line, as pino wrote it. */
export interface LoggedError {
  level: 'error' | 'fatal';
  msg: string;
  /** The whole line (bindings such as the call uuid, `err`, …). */
  entry: Record<string, unknown>;
}

export interface ErrorLog {
  /** Logs nothing below error; error and fatal lines are kept in `errors`. */
  logger: Logger;
  errors: LoggedError[];
  /** Declares an error the test expects (matched against the message and the serialized `err`). */
  expect(pattern: RegExp): void;
  /** Fails when an error was logged that no declared pattern matches; with `final`, also when a declared one never came. */
  check(final?: boolean): void;
}

/**
 * A logger that fails the test on errors nobody declared: an error-level log in a controller test is
 * a bug (or a case the test must name), never noise to ignore.
 */
export function createErrorLog(expected: readonly RegExp[] = []): ErrorLog {
  const errors: LoggedError[] = [];
  const patterns = [...expected];
  const text = (e: LoggedError) => {
    const err = e.entry.err as { type?: string; message?: string } | undefined;
    return err ? `${e.msg} ${err.type ?? ''}: ${err.message ?? ''}` : e.msg;
  };
  const logger = pino(
    { level: 'error', base: undefined },
    {
      write(line: string) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        errors.push({ level: (entry.level as number) >= 60 ? 'fatal' : 'error', msg: String(entry.msg ?? ''), entry });
      },
    },
  );
  return {
    logger,
    errors,
    expect: (pattern) => void patterns.push(pattern),
    check(final = false) {
      const unexpected = errors.filter((e) => !patterns.some((p) => p.test(text(e))));
      expect(unexpected.map((e) => ({ level: e.level, msg: text(e), entry: e.entry })), 'errors logged that the test did not expect').toEqual([]);
      if (!final) return;
      const missing = patterns.filter((p) => !errors.some((e) => p.test(text(e))));
      expect(missing.map(String), 'expected errors that were never logged').toEqual([]);
    },
  };
}

export interface ControllerOptions {
  /** The AI bridge for ai_agent routes (without it they apologise and fall back). */
  bots?: BotBridge;
  /** Inbound masking (createMaskingLookup over the harness database when true). */
  masking?: boolean;
  /** Record calls bridged to a person into this directory. */
  recordingsDir?: string;
  /** Errors this test expects the controller (or the API) to log; any other error-level log fails it. */
  expectErrors?: RegExp[];
  /** Configuration environment on top of the test defaults (e.g. VOICEMAIL_MAX_SECONDS). */
  env?: Record<string, string>;
  /** Wire `deps.voicemail` from the config and the TTS engine, as main.ts does. */
  voicemail?: boolean;
  /** Attach a webhook outbox to the bus (exposed as `outbox`). */
  webhooks?: boolean;
  /** Run the calls we place (flow, tts, bot) when they come back answered (placedCallSource over the database). */
  placedCalls?: boolean;
  /** The calls' clock (CallDeps.now: business hours, path and log times); default real time. The API keeps real time. */
  now?: () => Date;
  /** Look callers up as contacts: true = createContactLookup over the harness database, as main.ts does; or this lookup. */
  contacts?: true | ContactLookup;
  /** Bound on the contact lookup (CallSettings.contactLookupTimeoutMs). */
  contactLookupTimeoutMs?: number;
  /** Metrics wired as main.ts wires them (calls, the bus, outbound connections; GET /metrics serves them), exposed as `metrics`. */
  metrics?: boolean;
  /** Which switch a call came from (main.ts wires Switches.identify); absent = unknown. */
  identifySwitch?: (headers: Readonly<Record<string, string | undefined>>) => string | null;
}

export interface ControllerHarness {
  api: AsyncTestApi;
  org: TestOrg;
  server: CallServer;
  emu: Emulator;
  registry: CallRegistry;
  /** The calls' event bus (a test may put its own call control on it). */
  bus: CallEventBus;
  events: CallEvent[];
  /** The webhook outbox on the bus, with ControllerOptions.webhooks. */
  outbox?: WebhookOutbox;
  /** The metrics, with ControllerOptions.metrics. */
  metrics?: Metrics;
  /** Error and fatal lines logged so far (controller, call log writer and API share the logger). */
  loggedErrors: LoggedError[];
  /** Declares an error the test expects (see ControllerOptions.expectErrors). */
  expectLoggedError(pattern: RegExp): void;
  /** JSON request as the org admin; fails the test on a non-2xx answer. */
  req<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** The call's call_logs row (fails the test when there is none). */
  callLog(uuid: string): Promise<typeof callLogs.$inferSelect>;
  /** Waits for the controller to finish every call, then checks nothing is left behind and no unexpected error was logged. */
  settle(): Promise<void>;
  /** Stops everything, then fails the test on an unexpected error, or an expected one that never came. */
  close(): Promise<void>;
}

/** The real thing minus FreeSWITCH: API + database + controller on 127.0.0.1, and the emulator as the switch. */
export async function startController(options: ControllerOptions = {}): Promise<ControllerHarness> {
  const log = createErrorLog(options.expectErrors);
  const api = await openTestApi({ logger: log.logger }, options.env);
  const org = await api.org('Acme');
  const registry = createCallRegistry();
  const events: CallEvent[] = [];
  const bus = createCallEventBus();
  bus.subscribe((e) => events.push(e));
  const outbox = options.webhooks ? createWebhookOutbox({ db: api.deps.adb, logger: api.deps.logger }) : undefined;
  const detach = outbox?.attach(bus);
  // Without prom-client's process metrics: they add nothing to a call test and keep monitors running.
  const metrics = options.metrics
    ? createMetrics({ logger: api.deps.logger, outcomes: CALL_OUTCOMES, sources: { activeCalls: () => registry.size() }, defaultMetrics: false })
    : undefined;
  const detachMetrics = metrics?.attach(bus);
  if (metrics) api.deps.metrics = metrics;
  const server = await createCallServer({
    host: '127.0.0.1',
    port: 0,
    logger: api.deps.logger,
    commandTimeoutMs: 2000,
    ...(metrics ? { onConnection: () => metrics.eslOutboundConnection() } : {}),
    ...(options.identifySwitch ? { identifySwitch: options.identifySwitch } : {}),
    deps: {
      adb: api.deps.adb,
      logger: api.deps.logger,
      bus,
      registry,
      callLogs: createCallLogWriter(api.deps.adb, api.deps.logger),
      snapshots: createAsyncSnapshotReader(api.deps.adb),
      settings: {
        externalGateway: 'pstn', ringTimeoutS: 20, defaultCountryCode: '91', maxIvrEntries: 10, foreverS: 3600, maxTalkS: 4 * 3600,
        recordingsDir: options.recordingsDir ?? null,
        ...(options.contactLookupTimeoutMs ? { contactLookupTimeoutMs: options.contactLookupTimeoutMs } : {}),
      },
      now: options.now ?? (() => new Date()),
      ...(options.bots ? { bots: botsForCalls(options.bots) } : {}),
      ...(options.masking ? { maskingLookup: createMaskingLookup(api.deps.adb, () => new Date()) } : {}),
      ...(options.contacts ? { contactLookup: options.contacts === true ? createContactLookup(api.deps.adb) : options.contacts } : {}),
      ...(options.voicemail ? { voicemail: voicemailCallDeps(api.config, api.deps.tts) } : {}),
      ...(options.placedCalls ? { placedCalls: placedCallSource(api.deps.adb), placedWrites: (id: string) => api.deps.calls?.settled(id) ?? Promise.resolve() } : {}),
      ...(metrics ? { metrics: metrics.calls } : {}),
    },
  });
  const emu = createEmulator({ port: server.address().port, timeScale: 0.02 });
  return {
    api,
    org,
    server,
    emu,
    registry,
    bus,
    events,
    ...(outbox ? { outbox } : {}),
    ...(metrics ? { metrics } : {}),
    loggedErrors: log.errors,
    expectLoggedError: log.expect,
    async req(method, path, body) {
      const res = await api.call(method, path, { token: org.token, body });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
      return (text ? JSON.parse(text) : {}) as never;
    },
    async callLog(uuid) {
      const { adb } = api.deps;
      const [row] = await adb.select().from(adb.t.callLogs).where(eq(adb.t.callLogs.callUuid, uuid));
      expect(row, `call log for ${uuid}`).toBeDefined();
      return row!;
    },
    async settle() {
      await server.idle();
      expect(registry.size()).toBe(0);
      expect(server.sessions()).toHaveLength(0);
      expect(bus.listenerCount()).toBe(1 + (outbox ? 1 : 0) + (metrics ? 1 : 0));
      log.check();
    },
    async close() {
      detach?.();
      detachMetrics?.();
      await server.close();
      await api.close();
      log.check(true);
    },
  };
}
