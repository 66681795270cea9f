/**
 * The campaign dialer: every tick (and at once when a call ends or a campaign changes) it settles ended
 * attempts, then, for each campaign that is on and inside its calling window, claims due numbers up to the
 * campaign's concurrency and places their calls through the call control (the same originate, call log,
 * recording and webhooks as every placed call). Its state is all in the database (dialer-store.ts): any
 * number of instances may run it against one database.
 */
import type { Db } from '../db/client.ts';
import type { Logger } from '../runtime/logger.ts';
import type { CallEventBus } from '../domain/call-events.ts';
import { windowState } from '../domain/calling-window.ts';
import type { CallControl } from '../services/calls/control.ts';
import { activeCampaigns, claim, settle, unclaim, type DueCampaign } from '../services/campaigns/dialer-store.ts';

export interface DialerOptions {
  db: Db;
  logger: Logger;
  calls: CallControl;
  /** call.hangup wakes the dialer (a freed slot is refilled at once, not at the next tick). */
  bus?: CallEventBus;
  now?: () => Date;
  /** Default 1000 ms. */
  tickMs?: number;
  /** At most this many calls placed per campaign per pass (default 50): a big campaign ramps up over passes. */
  maxPerPass?: number;
}

export interface Dialer {
  start(): void;
  stop(): Promise<void>;
  /** One pass now (settle, then dial); concurrent requests share the running pass. */
  pass(): Promise<{ settled: number; placed: number }>;
  /** A pass soon (a campaign was switched on, numbers were added). */
  kick(): void;
}

export function createDialer(o: DialerOptions): Dialer {
  const now = o.now ?? (() => new Date());
  const log = o.logger.child({ component: 'dialer' });
  const maxPerPass = o.maxPerPass ?? 50;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<{ settled: number; placed: number }> | null = null;
  let again = false;
  let off: (() => void) | null = null;
  const placing = new Set<Promise<void>>();

  const place = (c: DueCampaign, id: string): void => {
    const p = o.calls.place(id).catch((err: unknown) => {
      // Nothing went out (the switch went away between claim and originate): the number is due again.
      log.warn({ err, campaign: c.id, call: id }, 'campaign call not placed; the number stays due');
      unclaim(o.db, id, now().getTime());
    });
    placing.add(p);
    void p.finally(() => placing.delete(p));
  };

  const run = async (): Promise<{ settled: number; placed: number }> => {
    const t = now();
    const settled = settle(o.db, t.getTime());
    let placed = 0;
    if (!o.calls.connected) return { settled, placed };
    for (const c of activeCampaigns(o.db)) {
      if (!windowState({ start: c.windowStart, end: c.windowEnd, days: c.days, timezone: c.timezone }, t).open) continue;
      for (const id of claim(o.db, c, t.getTime(), maxPerPass)) {
        place(c, id);
        placed++;
      }
    }
    return { settled, placed };
  };

  const pass = (): Promise<{ settled: number; placed: number }> => {
    if (running) {
      again = true;
      return running;
    }
    running = run().finally(() => {
      running = null;
      if (again) {
        again = false;
        kick();
      }
    });
    return running;
  };

  const kick = (): void => {
    void pass().catch((err: unknown) => log.error({ err }, 'dialer pass failed'));
  };

  return {
    start() {
      if (timer) return;
      timer = setInterval(kick, o.tickMs ?? 1_000);
      timer.unref();
      off = o.bus?.subscribe((e) => {
        if (e.type === 'call.hangup') setImmediate(kick);
      }) ?? null;
      kick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      off?.();
      off = null;
      await running?.catch(() => undefined);
      await Promise.all([...placing]);
    },
    pass,
    kick,
  };
}
