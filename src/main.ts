import { serve } from '@hono/node-server';
import { databaseTarget, loadConfig } from './runtime/env.ts';
import { createLogger } from './runtime/logger.ts';
import { openAppDatabase } from './db/open.ts';
import { createApp } from './http/app.ts';
import { createTtsEngine } from './media/create-tts.ts';
import { offlineSwitchControl } from './switch/switch-control.ts';
import { createSwitchSync } from './switch/switch-sync.ts';
import { bootstrapAdmin, resolveJwtSecret } from './services/organizations/organizations.ts';
import { createCallServer } from './switch/call-server.ts';
import { createCallEventBus } from './domain/call-events.ts';
import { createCallRegistry } from './call/registry.ts';
import { createCallLogWriter } from './call/call-log.ts';
import { botsForCalls, preconnectPlacedBot } from './call/bots.ts';
import { createAsyncSnapshotReader } from './publish/reader.ts';
import { soundsDir } from './runtime/env.ts';
import { callControlFromConfig, switchesFromConfig } from './switch/setup.ts';
import type { CallControl } from './services/calls/control.ts';
import { createCallScheduler } from './switch/call-scheduler.ts';
import { createDialer } from './switch/dialer.ts';
import { webhookDeliveryFromConfig } from './services/webhooks/setup.ts';
import { botBridgeFromConfig } from './bot/setup.ts';
import { placedCallSource, type PlacedSpec } from './services/calls/placed-spec.ts';
import { renderTemplate } from './services/tts-templates/render.ts';
import { createMaskingLookup } from './services/masking/lookup.ts';
import { createContactLookup } from './services/contacts/lookup.ts';
import { voicemailCallDeps } from './call/voicemail-deps.ts';
import { callSettings } from './call/settings.ts';
import { createReconciler } from './switch/reconcile.ts';
import { createReconcileStore } from './switch/reconcile-store.ts';
import { createSofiaRegistrationSource } from './switch/sofia-registrations.ts';
import { createAgentExpiry } from './services/human-agents/expiry.ts';
import { createMetrics } from './metrics/metrics.ts';
import { CALL_OUTCOMES } from './call/outcome.ts';
import { webhookBacklog } from './services/webhooks/backlog.ts';
import { campaignNumberCounts } from './services/campaigns/number-counts.ts';
import { createLiveCallTracker } from './services/live-calls/tracker.ts';

/** Composition root: the only place that builds long-lived objects and wires them together. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  // SQLite or PostgreSQL (DATABASE_URL), migrated. Nothing here needs the SQLite file itself: backups,
  // VACUUM and WAL checkpoints are the operator's (README "PostgreSQL"), the same on both.
  const database = await openAppDatabase(databaseTarget(config), {
    onIdleError: (err) => logger.warn({ err }, 'database: an idle pooled connection failed; the pool replaces it'),
  });
  const { adb } = database;
  logger.info({ database: database.dialect, ...database.describe }, `database: ${database.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'}, migrations applied`);

  const first = await bootstrapAdmin(adb, {
    orgName: config.BOOTSTRAP_ORG_NAME,
    email: config.BOOTSTRAP_ADMIN_EMAIL,
    password: config.BOOTSTRAP_ADMIN_PASSWORD,
  });
  if (first) {
    process.stdout.write(
      `\n  First start: created organization "${first.orgName}" and admin user\n` +
        `    email:    ${first.email}\n    password: ${first.password}\n` +
        `  Log in with POST /auth/user-login. This password is shown only once.\n\n`,
    );
  }

  const now = () => new Date();
  const tts = createTtsEngine(config, logger);
  const bus = createCallEventBus((err) => logger.error({ err }, 'call event listener failed'));
  const registry = createCallRegistry();
  // The web console's live calls: this instance's calls as the bus tells them.
  const liveCalls = createLiveCallTracker(bus);
  // The controller's reader: parsed snapshots cached by id; a lookup is one awaited query (two on a cache miss).
  const snapshots = createAsyncSnapshotReader(adb);
  // GET /metrics. The gauges read their sources when scraped; the bot bridge is made below, so it is late-bound.
  let botLegsActive = (): number => 0;
  const metrics = createMetrics({
    logger: logger.child({ component: 'metrics' }),
    outcomes: CALL_OUTCOMES,
    sources: {
      activeCalls: () => registry.size(),
      botLegsActive: () => botLegsActive(),
      webhookBacklog: webhookBacklog(adb),
      campaignNumbers: campaignNumberCounts(adb),
    },
  });
  metrics.attach(bus);

  // Inbound ESL (api/bgapi), one client per switch (SWITCHES): optional; the product runs without FreeSWITCH.
  const switches = switchesFromConfig(config, logger);
  for (const link of switches?.list ?? []) metrics.watchSwitch(link.id, link.client);
  switches?.start();

  const botBridge = botBridgeFromConfig(config, logger.child({ component: 'bot-bridge' }), (leg) => metrics.botLegEnded(leg));
  botLegsActive = () => botBridge.active;
  let callControl: CallControl | undefined;
  const callServer = await createCallServer({
    host: config.ESL_SERVER_HOST,
    port: config.ESL_SERVER_PORT,
    logger: logger.child({ component: 'esl-outbound' }),
    commandTimeoutMs: config.ESL_COMMAND_TIMEOUT_MS,
    captureDir: config.ESL_CAPTURE_DIR,
    selfEndpoint: config.ESL_SELF_ENDPOINT,
    onConnection: () => metrics.eslOutboundConnection(),
    // Which switch handed over a call (its Core-UUID in the connect headers): the call log keeps it.
    ...(switches ? { identifySwitch: (headers: Readonly<Record<string, string | undefined>>) => switches.identify(headers) } : {}),
    deps: {
      adb,
      logger: logger.child({ component: 'calls' }),
      bus,
      registry,
      callLogs: createCallLogWriter(adb, logger.child({ component: 'call-logs' }), { onBatch: (seconds) => metrics.dbQuery('call_log_batch', seconds) }),
      snapshots,
      settings: callSettings(config),
      now,
      maskingLookup: createMaskingLookup(adb, now),
      placedCalls: placedCallSource(adb),
      // The call control is made below (it needs this server's address): reached through a closure.
      placedWrites: (callId: string) => callControl?.settled(callId) ?? Promise.resolve(),
      contactLookup: createContactLookup(adb),
      voicemail: voicemailCallDeps(config, tts),
      bots: botsForCalls(botBridge),
      metrics: metrics.calls,
    },
  });
  const eslAddr = callServer.address();
  logger.info({ host: eslAddr.address, port: eslAddr.port, sounds: soundsDir(config) }, 'call controller (outbound ESL) listening');

  // Webhooks (outbox subscribed to the bus + dispatcher); click-to-call, masking and scheduled calls.
  const webhooks = webhookDeliveryFromConfig({ config, logger, db: adb, onAttempt: (result) => metrics.webhookAttempt(result) });
  // A call we place that the controller runs (flow, tts, bot) reaches this server like an inbound call.
  const listening = eslAddr.address === '0.0.0.0' || eslAddr.address === '::' ? '127.0.0.1' : eslAddr.address;
  const socketEndpoint = config.ESL_SELF_ENDPOINT ?? `${listening}:${eslAddr.port}`;
  const preconnect = preconnectPlacedBot(botBridge, snapshots, (config.ORIGINATE_TIMEOUT_S + 30) * 1000, logger.child({ component: 'bot-bridge' }));
  const calls = callControlFromConfig({
    config, logger, db: adb, bus, switches, tts, socketEndpoint,
    inboundLoad: (switchId) => registry.countOn(switchId),
    // A tts call's message is rendered when it is dialled (cached by content: the same text is synthesized once).
    renderTemplate: async (orgId, templateId, variables) => (await renderTemplate({ db: adb, config, tts, logger, now }, orgId, templateId, variables)).path,
    // A bot call with connect: immediate opens the bot's WebSocket while the customer's phone rings.
    onDial: (row) => preconnect(row.id, row.orgId, row.spec as PlacedSpec | null),
    onEnd: (callId) => botBridge.release(callId),
  });
  callControl = calls;
  const scheduler = createCallScheduler({ db: adb, logger, calls, pollMs: config.SCHEDULER_POLL_MS });
  // Dialer campaigns: claims due numbers in the database (any number of instances), places them through `calls`.
  const dialer = createDialer({ db: adb, logger, calls, bus, tickMs: config.DIALER_TICK_MS, maxCps: config.DIALER_MAX_CPS, onPlaced: () => metrics.campaignCallPlaced() });
  webhooks.start(bus);
  calls.start();
  scheduler.start();
  dialer.start();
  // The outbox stops taking events (and writes what it holds) before the call control stops.
  const stopCallApis = async (): Promise<void> => {
    // No new campaign calls first (the dialer waits for the originates it started).
    await dialer.stop();
    const webhooksStopped = webhooks.stop();
    calls.stop();
    await Promise.all([scheduler.stop(), webhooksStopped]);
  };

  // After every (re)connect and periodically: close call logs a dead controller left open, log the calls
  // FreeSWITCH answered while no controller was reachable (after the webhook outbox is on the bus).
  const reconciler = switches
    ? createReconciler({
        store: createReconcileStore(adb),
        switches,
        registry,
        bus,
        snapshots,
        logger: logger.child({ component: 'reconcile' }),
        now,
        settings: {
          intervalMs: config.RECONCILE_INTERVAL_MS,
          graceMs: config.RECONCILE_GRACE_MS,
          commandTimeoutMs: config.ESL_COMMAND_TIMEOUT_MS,
          switchDownMs: config.RECONCILE_SWITCH_DOWN_MS,
          defaultCountryCode: config.DEFAULT_COUNTRY_CODE,
        },
      })
    : null;
  reconciler?.start();

  const switchControl = switches ? createSwitchSync(switches, () => snapshots.allLatest(), logger.child({ component: 'switch-sync' })) : offlineSwitchControl;
  // Agents past their expires_at are disabled with their extensions (every instance may run it: no lease).
  const agentExpiry = createAgentExpiry({ adb, switchControl, logger: logger.child({ component: 'agent-expiry' }), now, intervalMs: config.AGENT_EXPIRY_CHECK_MS });
  agentExpiry.start();

  const app = createApp({
    config,
    logger,
    adb,
    tts,
    switchControl,
    ...(switches && {
      registrations: createSofiaRegistrationSource({
        switches: switches.list.map((l) => l.client), profile: config.SIP_REGISTRATION_PROFILE, cacheMs: config.REGISTRATION_CACHE_MS,
        timeoutMs: config.REGISTRATION_TIMEOUT_MS, now, logger: logger.child({ component: 'registrations' }),
      }),
    }),
    jwtSecret: await resolveJwtSecret(adb, config.JWT_SECRET),
    health: () => ({
      switchConnected: switches?.anyConnected ?? false, activeCalls: registry.size(), draining: callServer.draining,
      switches: (switches?.list ?? []).map((l) => ({ id: l.id, connected: l.connected })),
    }),
    calls,
    dialer,
    webhooks: webhooks.dispatcher,
    metrics,
    liveCalls,
    now,
  });

  const server = serve({ fetch: app.fetch, hostname: config.HTTP_HOST, port: config.HTTP_PORT }, (info) => {
    logger.info({ host: info.address, port: info.port }, 'management API listening');
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // The hard limit: the drain's own, plus time to close everything after it.
    setTimeout(() => process.exit(0), config.DRAIN_TIMEOUT_MS + 10_000).unref();
    // A signal handler cannot await: each failure is logged here or in shutdown(), and the process exits either way.
    void drain(signal)
      .then(shutdown)
      .catch((err: unknown) => logger.error({ err }, 'shutdown failed'))
      .finally(() => process.exit(0));
  };
  /**
   * Graceful drain: new calls are let go at once (the dialplan hands them to the next controller), /ready
   * answers 503, the dialer places nothing more; calls in progress go on until they end or DRAIN_TIMEOUT_MS
   * passes. Then the normal shutdown ends what is left and flushes the call logs and the webhook outbox.
   */
  const drain = async (signal: string): Promise<void> => {
    callServer.drain();
    await dialer.stop();
    const deadline = Date.now() + config.DRAIN_TIMEOUT_MS;
    logger.info({ signal, activeCalls: registry.size(), timeoutMs: config.DRAIN_TIMEOUT_MS }, 'draining: new calls go to the next controller');
    // Until every call's socket has closed: a call leaves the registry before its runner has written its
    // final row and announced call.hangup (which the webhook outbox must still take).
    const busy = (): boolean => registry.size() > 0 || callServer.connectionCount > 0;
    while (busy() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    logger.info({ left: registry.size() }, busy() ? 'drain time is up; ending the calls left' : 'drained: no call in progress');
  };
  // Everything that may still write to the database (webhook deliveries, calls ending) has stopped
  // before the database closes; one part failing does not keep the others open.
  const shutdown = async (): Promise<void> => {
    reconciler?.stop();
    agentExpiry.stop();
    const parts: Array<[string, Promise<void>]> = [['call APIs', stopCallApis()], ['call controller', callServer.close()]];
    if (switches) parts.push(['inbound ESL', switches.close()]);
    const results = await Promise.allSettled(parts.map(([, done]) => done));
    results.forEach((r, i) => {
      if (r.status === 'rejected') logger.error({ err: r.reason, part: parts[i]?.[0] }, 'shutdown step failed');
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await tts.close?.().catch((err: unknown) => logger.error({ err, part: 'text-to-speech' }, 'shutdown step failed'));
    // SQLite: the file; PostgreSQL: the pool (its connections end once released).
    await database.close().catch((err: unknown) => logger.error({ err, part: 'database' }, 'shutdown step failed'));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`fatal: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
