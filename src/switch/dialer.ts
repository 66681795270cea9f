/**
 * The campaign dialer: every tick (and at once when a call ends or a campaign changes) it settles ended
 * attempts, then, for each campaign that is on and inside its calling window, claims due numbers up to the
 * campaign's concurrency and places their calls through the call control (the same originate, call log,
 * recording and webhooks as every placed call). Its state is all in the database (dialer-store.ts): any
 * number of instances may run it against one database.
 */
import type { Db } from '../db/handle.ts';
import type { Logger } from '../runtime/logger.ts';
import type { CallEventBus } from '../domain/call-events.ts';
import { windowState } from '../domain/calling-window.ts';
import type { CallControl } from '../services/calls/control.ts';
import { activeCampaigns, claim, settle, unclaim, type DueCampaign } from '../services/campaigns/dialer-store.ts';

export interface DialerOptions {
  db: Db;
  logger: Logger;
  calls: CallControl;
  /**
   * The end of a call this dialer placed wakes it (a freed slot is refilled at once, not at the next tick);
   * other calls' ends do not (an inbound call costs the database no dialer pass).
   */
  bus?: CallEventBus;
  now?: () => Date;
  /** Default 1000 ms. */
  tickMs?: number;
  /** At most this many calls placed per campaign per pass (default 50): a big campaign ramps up over passes. */
  maxPerPass?: number;
  /**
   * Calls this instance starts per second at most, over all campaigns (default 20). FreeSWITCH refuses
   * originates beyond its `sessions-per-second` (30 in freeswitch-conf/), and a refused originate is an
   * attempt that failed without a call: keep this below the switch's limit divided among the instances.
   */
  maxCps?: number;
  /** Told of each campaign call the switch accepted (metrics). */
  onPlaced?: () => void;
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
  let refillTimer: NodeJS.Timeout | null = null;
  let running: Promise<{ settled: number; placed: number }> | null = null;
  let again = false;
  let off: (() => void) | null = null;
  const placing = new Set<Promise<void>>();
  // Calls placed by this dialer and not yet ended: their call.hangup wakes it. A call whose socket another
  // instance took ends there (that instance's tick settles it), so the oldest ids are dropped past a bound.
  const mine = new Set<string>();
  const MINE_MAX = 10_000;
  // A token bucket: `maxCps` a second, at most one second's worth saved up.
  const maxCps = o.maxCps ?? 20;
  let tokens = maxCps;
  let filledAt = now().getTime();
  const refill = (t: number): void => {
    tokens = Math.min(maxCps, tokens + ((t - filledAt) / 1000) * maxCps);
    filledAt = t;
  };

  const place = (c: DueCampaign, id: string): void => {
    mine.add(id);
    if (mine.size > MINE_MAX) mine.delete(mine.values().next().value!);
    const p = o.calls.place(id).then(() => o.onPlaced?.(), (err: unknown) => {
      mine.delete(id);
      // Nothing went out (the switch went away between claim and originate): the number is due again.
      log.warn({ err, campaign: c.id, call: id }, 'campaign call not placed; the number stays due');
      return unclaim(o.db, id, now().getTime()).catch((e: unknown) => log.error({ err: e, call: id }, 'unclaim failed'));
    });
    placing.add(p);
    void p.finally(() => placing.delete(p));
  };

  const run = async (): Promise<{ settled: number; placed: number }> => {
    const t = now();
    const settled = await settle(o.db, t.getTime());
    let placed = 0;
    if (!o.calls.connected) return { settled, placed };
    refill(t.getTime());
    for (const c of await activeCampaigns(o.db)) {
      const budget = Math.min(maxPerPass, Math.floor(tokens));
      if (budget <= 0) break;
      if (!windowState({ start: c.windowStart, end: c.windowEnd, days: c.days, timezone: c.timezone }, t).open) continue;
      for (const id of await claim(o.db, c, t.getTime(), budget)) {
        tokens--;
        place(c, id);
        placed++;
      }
    }
    // Out of tokens with numbers due: come back when one has refilled, not at the next tick.
    if (tokens < 1 && placed > 0 && timer && !refillTimer) {
      refillTimer = setTimeout(() => {
        refillTimer = null;
        kick();
      }, Math.ceil(1000 / maxCps));
      refillTimer.unref();
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
        if (e.type === 'call.hangup' && mine.delete(e.callId)) setImmediate(kick);
      }) ?? null;
      kick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      if (refillTimer) clearTimeout(refillTimer);
      timer = null;
      refillTimer = null;
      off?.();
      off = null;
      await running?.catch(() => undefined);
      await Promise.all([...placing]);
    },
    pass,
    kick,
  };
}
