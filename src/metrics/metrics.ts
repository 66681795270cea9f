/**
 * The process's Prometheus metrics (GET /metrics): one `Metrics` per process, built in main.ts, with its own
 * prom-client Registry (never prom-client's global one: tests build many, and nothing leaks between them).
 * The layers that record know nothing of prom-client: each is handed a small callback or interface (the
 * call layer's CallMetrics, the bot bridge's onLegEnd, the dispatcher's onAttempt, …) that main.ts points
 * here. What can be read when scraped (calls and bot legs in progress, the webhook backlog, campaign
 * numbers, each switch's inbound ESL link) is read then, in `collect` callbacks: nothing on the call path for them.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallEventBus } from '../domain/call-events.ts';
import type { Logger } from '../runtime/logger.ts';
import { registerScrapeGauges, type ScrapeSources } from './scrape-gauges.ts';

/** What a call records (structurally the call layer's CallMetrics). */
export interface CallLatencyRecorder {
  setupTime(seconds: number): void;
  dtmfToCommand(seconds: number): void;
}

/** A bot leg as it ended (structurally src/bot's BotLegResult). */
export interface EndedBotLeg {
  readonly end: { readonly kind: string };
  readonly stats: { readonly droppedToBot: number; readonly droppedFromBot: number; readonly skippedFromBot: number };
}

/** A switch's inbound ESL client as metrics watch it (structurally src/esl's InboundClient). */
export interface WatchedInboundLink {
  readonly connected: boolean;
  onState(listener: (state: string) => void): () => void;
}

export interface MetricsOptions {
  logger: Logger;
  /** The call outcome vocabulary (src/call/outcome.ts): calls_total's `outcome` label takes these values, anything else is `other`. */
  outcomes: readonly string[];
  /** Read on every scrape. */
  sources: ScrapeSources;
  /** prom-client's process and Node.js metrics (event-loop lag, heap, GC, CPU); default true. */
  defaultMetrics?: boolean;
}

export interface Metrics {
  /** The exposition format's content type (text/plain; version=0.0.4). */
  readonly contentType: string;
  /** Every metric in the text format; runs the scrape-time queries. */
  render(): Promise<string>;
  /** For CallDeps.metrics. */
  readonly calls: CallLatencyRecorder;
  /** Counts every call.hangup on the bus by outcome; returns the function that detaches. */
  attach(bus: CallEventBus): () => void;
  /** A switch's inbound ESL link, labelled `switch`: reconnections counted (its state is read when scraped); returns the detach. */
  watchSwitch(id: string, link: WatchedInboundLink): () => void;
  eslOutboundConnection(): void;
  botLegEnded(leg: EndedBotLeg): void;
  webhookAttempt(result: 'delivered' | 'retry' | 'failed'): void;
  campaignCallPlaced(): void;
  /** A database write or query took this long (`query`: a fixed name such as call_log_batch). */
  dbQuery(query: string, seconds: number): void;
}

/** Call setup and DTMF turnaround are milliseconds when healthy; the top buckets catch a stalled process or switch. */
const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** SQLite statements: tens of microseconds to a busy_timeout wait of seconds. */
const DB_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];

export function createMetrics(o: MetricsOptions): Metrics {
  const register = new Registry();
  if (o.defaultMetrics ?? true) collectDefaultMetrics({ register });
  const registers = [register];

  const known = new Set(o.outcomes);
  const callsTotal = new Counter({
    name: 'switchboard_calls_total', help: 'Calls ended (every call.hangup), by outcome (docs/call-outcomes.md)', labelNames: ['outcome'] as const, registers,
  });
  // Every outcome is present from the start: a rate() over a series that appears late misses its first increase.
  for (const outcome of known) callsTotal.inc({ outcome }, 0);
  const setup = new Histogram({
    name: 'switchboard_call_setup_seconds', help: "FreeSWITCH's socket for a call accepted -> the call's first command after routing (answer, first prompt or bridge)",
    buckets: FAST_BUCKETS, registers,
  });
  const dtmf = new Histogram({
    name: 'switchboard_dtmf_to_command_seconds', help: 'play_and_get_digits returned with keys -> the next command written for the call',
    buckets: FAST_BUCKETS, registers,
  });
  const inboundReconnects = new Counter({
    name: 'switchboard_esl_inbound_reconnects_total', help: "Inbound ESL connections re-established after the link was lost, by switch", labelNames: ['switch'] as const, registers,
  });
  const outboundConnections = new Counter({
    name: 'switchboard_esl_outbound_connections_total', help: 'Outbound ESL connections FreeSWITCH opened to the call controller (calls and their async sockets)', registers,
  });
  const botLegs = new Counter({
    name: 'switchboard_bot_legs_total', help: 'Bot legs ended, by how they ended (transfer, hangup, caller_hangup, failed)', labelNames: ['end'] as const, registers,
  });
  const framesDropped = new Counter({
    name: 'switchboard_bot_frames_dropped_total',
    help: 'Audio frames dropped by the AI bridge: to_bot (the bot did not read its socket), from_bot (play-out buffer full, or late after a media-clock stall)',
    labelNames: ['direction'] as const, registers,
  });
  for (const direction of ['to_bot', 'from_bot']) framesDropped.inc({ direction }, 0);
  const webhookResults = new Counter({
    name: 'switchboard_webhook_deliveries_total',
    help: 'Webhook delivery attempts by result: delivered, retry (failed, tried again later), failed (the last attempt failed)',
    labelNames: ['result'] as const, registers,
  });
  for (const result of ['delivered', 'retry', 'failed']) webhookResults.inc({ result }, 0);
  const campaignPlaced = new Counter({
    name: 'switchboard_campaign_calls_placed_total', help: 'Campaign calls this instance placed (originates the switch accepted)', registers,
  });
  // Registered after the scrape gauges (below): a scrape renders in registration order, so this scrape's own
  // queries are in the histogram it returns.
  // Async scrape-time queries still running when the histogram renders are waited for (they started first).
  const pendingQueries = new Set<Promise<unknown>>();
  const dbSeconds = new Histogram({
    name: 'switchboard_db_query_seconds', help: 'Database statements timed by the server: call log batch writes and the scrape-time queries',
    labelNames: ['query'] as const, buckets: DB_BUCKETS, registers: [],
    async collect() {
      await Promise.allSettled([...pendingQueries]);
    },
  });

  const links = new Map<string, WatchedInboundLink>();
  registerScrapeGauges(register, o.sources, {
    logger: o.logger,
    switchLinks: () => [...links].map(([id, link]) => ({ id, connected: link.connected })),
    timed: (query, run) => {
      const end = dbSeconds.startTimer({ query });
      let result;
      try {
        result = run();
      } catch (err) {
        end();
        throw err;
      }
      // An async query is timed until it settles.
      if (result instanceof Promise) {
        const timed = result.finally(() => void end());
        pendingQueries.add(timed);
        const forget = () => void pendingQueries.delete(timed);
        timed.then(forget, forget);
        return timed as typeof result;
      }
      end();
      return result;
    },
  });
  register.registerMetric(dbSeconds);

  return {
    contentType: register.contentType,
    render: () => register.metrics(),
    calls: {
      setupTime: (seconds) => setup.observe(seconds),
      dtmfToCommand: (seconds) => dtmf.observe(seconds),
    },
    attach(bus) {
      return bus.subscribe((e) => {
        if (e.type !== 'call.hangup') return;
        callsTotal.inc({ outcome: e.disposition !== null && known.has(e.disposition) ? e.disposition : 'other' });
      });
    },
    watchSwitch(id, link) {
      links.set(id, link);
      inboundReconnects.inc({ switch: id }, 0);
      let wasConnected = link.connected;
      const off = link.onState((state) => {
        if (state === 'connected' && wasConnected) inboundReconnects.inc({ switch: id });
        // "Was ever connected": a switch that is down at start is not a reconnect once it comes up.
        if (state === 'connected') wasConnected = true;
      });
      return () => {
        off();
        if (links.get(id) === link) links.delete(id);
      };
    },
    eslOutboundConnection: () => outboundConnections.inc(),
    botLegEnded(leg) {
      botLegs.inc({ end: leg.end.kind });
      const { droppedToBot, droppedFromBot, skippedFromBot } = leg.stats;
      if (droppedToBot > 0) framesDropped.inc({ direction: 'to_bot' }, droppedToBot);
      if (droppedFromBot + skippedFromBot > 0) framesDropped.inc({ direction: 'from_bot' }, droppedFromBot + skippedFromBot);
    },
    webhookAttempt: (result) => webhookResults.inc({ result }),
    campaignCallPlaced: () => campaignPlaced.inc(),
    dbQuery: (query, seconds) => dbSeconds.observe({ query }, seconds),
  };
}
