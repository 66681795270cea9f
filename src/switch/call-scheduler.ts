/**
 * Fires scheduled calls and expires masking sessions. Durable: the schedule is the outbound_calls table.
 * A due row is claimed with one conditional UPDATE (scheduled → dialing), so two passes or two processes
 * never both dial it; a row claimed by a process that then died is resolved by the call control's
 * recovery (adopted if its channel exists, else failed) — never dialled twice. While the switch is down,
 * due rows stay scheduled and fire when it is back (or fail once they are `maxLateMs` late).
 */
import { and, eq, lte } from 'drizzle-orm';
import type { Db } from '../db/handle.ts';
import type { Logger } from '../runtime/logger.ts';
import { LIVE_STATUSES, claimScheduled, setStatus } from '../services/calls/call-store.ts';
import type { CallControl } from '../services/calls/control.ts';
import { endMaskingSession, expiredSessions } from '../services/masking/store.ts';

export interface SchedulerOptions {
  db: Db;
  logger: Logger;
  calls: CallControl;
  pollMs: number;
  /** A scheduled call this late (switch down all along) is marked failed instead of dialled (default 15 min). */
  maxLateMs?: number;
  now?: () => number;
}

export interface CallScheduler {
  start(): void;
  stop(): Promise<void>;
  /** One pass; resolves with the number of calls fired. */
  runOnce(): Promise<number>;
}

export function createCallScheduler(o: SchedulerOptions): CallScheduler {
  const now = o.now ?? Date.now;
  const maxLate = o.maxLateMs ?? 15 * 60_000;
  const log = o.logger.child({ component: 'scheduler' });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  const runOnce = async (): Promise<number> => {
    const t = now();
    const iso = new Date(t).toISOString();
    const { outboundCalls } = o.db.t;
    for (const s of await expiredSessions(o.db, iso)) {
      // Expire first (forgetting the pair); the hung-up call then finds the session no longer active.
      if (!(await endMaskingSession(o.db, s.id, 'expired', iso))) continue;
      const live = (await o.db.select().from(outboundCalls).where(eq(outboundCalls.maskingSessionId, s.id)))
        .filter((c) => (LIVE_STATUSES as string[]).includes(c.status));
      for (const c of live) await o.calls.hangup(c.orgId, c.id).catch((err: unknown) => log.warn({ err, call: c.id }, 'expiry hangup failed'));
    }
    const due = await o.db.select({ id: outboundCalls.id, scheduledAt: outboundCalls.scheduledAt }).from(outboundCalls)
      .where(and(eq(outboundCalls.status, 'scheduled'), lte(outboundCalls.scheduledAt, t)));
    let fired = 0;
    for (const row of due) {
      if (!o.calls.connected) {
        if (t - (row.scheduledAt ?? t) > maxLate && (await claimScheduled(o.db, row.id))) {
          await setStatus(o.db, row.id, 'failed', { hangupCause: 'SWITCH_UNAVAILABLE', endedAt: iso });
          log.warn({ call: row.id }, 'scheduled call failed: switch unavailable');
        }
        continue;
      }
      if (!(await claimScheduled(o.db, row.id))) continue;
      try {
        await o.calls.place(row.id);
        fired++;
      } catch (err) {
        await setStatus(o.db, row.id, 'failed', { hangupCause: 'ORIGINATE_FAILED', endedAt: iso });
        log.error({ err, call: row.id }, 'scheduled call could not be placed');
      }
    }
    return fired;
  };

  const loop = () => {
    if (stopped) return;
    running = runOnce()
      .catch((err: unknown) => log.error({ err }, 'scheduler pass failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, o.pollMs);
      });
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      loop();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    runOnce,
  };
}
