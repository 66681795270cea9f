/**
 * Gauges read when Prometheus scrapes, not kept up to date as things happen: the numbers already exist
 * elsewhere (the call registry, the bot bridge, the database), so the call path pays nothing for them.
 * The database ones are one cheap query each per scrape, timed into switchboard_db_query_seconds.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../runtime/logger.ts';

/** Where the scrape-time gauges read from (main.ts wires them; absent = the gauge reads 0). */
export interface ScrapeSources {
  /** Calls a runner is controlling now (the call registry). */
  activeCalls: () => number;
  /** Bot legs streaming now. */
  botLegsActive?: () => number;
  /** Webhook deliveries waiting to be sent (status pending); a database query, so possibly async. */
  webhookBacklog?: () => number | Promise<number>;
  /** Campaign numbers by status, over every campaign. */
  campaignNumbers?: () => ReadonlyArray<{ status: string; count: number }> | Promise<ReadonlyArray<{ status: string; count: number }>>;
}

/** campaign_numbers.status (src/db/schema/campaigns.ts): each one is always present. */
const CAMPAIGN_NUMBER_STATUSES = ['pending', 'dialing', 'completed', 'failed', 'dnc', 'cancelled'] as const;

export interface ScrapeHelpers {
  logger: Logger;
  /** Each watched switch's inbound ESL link. */
  switchLinks: () => ReadonlyArray<{ id: string; connected: boolean }>;
  /** Runs a database query, timing it under `query` (until it settles, when it returns a promise). */
  timed<T>(query: string, run: () => T): T;
}

export function registerScrapeGauges(register: Registry, sources: ScrapeSources, h: ScrapeHelpers): void {
  const registers = [register];
  /**
   * A query that fails leaves its gauge as it was and is logged: one broken source must not turn the
   * whole scrape into an error (the other metrics are what tells the operator what is wrong).
   */
  const guardedAsync = async (what: string, read: () => Promise<void>): Promise<void> => {
    try {
      await read();
    } catch (err) {
      h.logger.warn({ err, metric: what }, 'metrics: a scrape-time read failed');
    }
  };

  new Gauge({
    name: 'switchboard_calls_active', help: 'Calls the controller is running now (inbound, and placed calls once answered)', registers,
    collect() {
      this.set(sources.activeCalls());
    },
  });
  new Gauge({
    name: 'switchboard_esl_inbound_connected', help: "1 while the inbound ESL link (api/bgapi) to the switch is up, else 0", labelNames: ['switch'] as const, registers,
    collect() {
      // A switch no longer watched has no series (not its last value).
      this.reset();
      for (const l of h.switchLinks()) this.set({ switch: l.id }, l.connected ? 1 : 0);
    },
  });
  new Gauge({
    name: 'switchboard_bot_legs_active', help: 'Bot legs (a call streaming to an AI agent) in progress', registers,
    collect() {
      this.set(sources.botLegsActive?.() ?? 0);
    },
  });
  const backlog = sources.webhookBacklog;
  new Gauge({
    name: 'switchboard_webhook_outbox_backlog', help: 'Webhook deliveries waiting to be sent or retried (status pending)', registers,
    async collect() {
      if (backlog) await guardedAsync('webhook_outbox_backlog', async () => this.set(await h.timed('webhook_backlog', backlog)));
    },
  });
  const numbers = sources.campaignNumbers;
  new Gauge({
    name: 'switchboard_campaign_numbers', help: 'Campaign numbers by status (pending, dialing, completed, failed, dnc, cancelled), all campaigns', labelNames: ['status'] as const, registers,
    async collect() {
      if (!numbers) return;
      await guardedAsync('campaign_numbers', async () => {
        const rows = await h.timed('campaign_numbers', numbers);
        // A status whose last number moved on reads 0, not its last count.
        for (const status of CAMPAIGN_NUMBER_STATUSES) this.set({ status }, 0);
        for (const r of rows) this.set({ status: r.status }, r.count);
      });
    },
  });
}
