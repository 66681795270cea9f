/**
 * Placed calls after a (re)connect: the live outbound_calls rows are matched against the switch that
 * has (had) their channel. A row whose channel still exists is followed again; one whose channel is
 * gone from every switch that may have had it is ended (never redialled). A row whose switch cannot be
 * asked (down, not answering) waits for it, until it is older than `switchDownMs` (no call lasts longer
 * than max_call_seconds): then `expire` ends it, so that a switch that never comes back does not hold
 * a campaign's concurrency for ever.
 */
import type { Db } from '../db/handle.ts';
import type { Logger } from '../runtime/logger.ts';
import { eq } from 'drizzle-orm';
import { liveOutbound, type OutboundRow } from '../services/calls/call-store.ts';
import { locateChannel } from './switch-channels.ts';
import type { SwitchLink, Switches } from './switches.ts';

export interface RecoveryHooks {
  /** Whether the call control follows this a-leg already (a call it placed itself). */
  isFollowed(aLegUuid: string): boolean;
  /** Follow the row's channel on `link` again (its answer and bridge as the row says). */
  follow(row: OutboundRow, link: SwitchLink): void;
  /** End the row as if its channel had hung up with `cause`. */
  end(row: OutboundRow, cause: string): void;
}

export interface RecoveryOptions {
  db: Db;
  switches: Switches;
  logger: Logger;
  now: () => Date;
  commandTimeoutMs: number;
  /** A row whose switch cannot be asked is ended once it is this old (default 4 h). */
  switchDownMs?: number;
}

/** How long a claimed row may wait for its originate before a recovery pass may end it. */
const CLAIM_GRACE_MS = 60_000;

export interface CallRecovery {
  /** The rows `link` may have: followed again, ended, or left for later. */
  recover(link: SwitchLink): Promise<void>;
  /** Ends the rows whose switch is not connected and which are older than switchDownMs. */
  expire(): Promise<void>;
}

export function createCallRecovery(o: RecoveryOptions, hooks: RecoveryHooks): CallRecovery {
  const switchDownMs = o.switchDownMs ?? 4 * 3600_000;
  const ageMs = (row: OutboundRow): number => o.now().getTime() - Date.parse(row.startedAt ?? row.updatedAt);

  return {
    async recover(link) {
      for (const row of await liveOutbound(o.db)) {
        if (row.status === 'dialing' && row.startedAt === null && !hooks.isFollowed(row.aLegUuid)) {
          // Claimed but never sent to a switch (startedAt is set before the originate): nobody has its channel.
          // A young one is being placed right now (by the dialer or the scheduler of some instance).
          if (ageMs(row) >= CLAIM_GRACE_MS) hooks.end(row, 'INTERRUPTED');
          continue;
        }
        const owners = o.switches.owners(row.switchId);
        if (!owners.includes(link)) continue;
        let where;
        try {
          where = await locateChannel(owners, row.aLegUuid, o.commandTimeoutMs);
        } catch (err) {
          o.logger.warn({ err, call: row.id }, 'uuid_exists failed during recovery');
          continue;
        }
        if (where.kind === 'unknown') continue;
        if (where.kind === 'gone') {
          hooks.end(row, row.status === 'dialing' ? 'INTERRUPTED' : 'LOST_TRACK');
          continue;
        }
        if (row.switchId !== where.link.id) {
          const { outboundCalls } = o.db.t;
          await o.db.update(outboundCalls).set({ switchId: where.link.id }).where(eq(outboundCalls.id, row.id));
        }
        hooks.follow(row, where.link);
      }
    },
    async expire() {
      for (const row of await liveOutbound(o.db)) {
        if (ageMs(row) < switchDownMs) continue;
        if (o.switches.owners(row.switchId).every((l) => l.connected)) continue;
        o.logger.warn({ call: row.id, switch: row.switchId }, 'placed call ended: its switch has been unreachable for longer than a call may last');
        hooks.end(row, 'SWITCH_LOST');
      }
    },
  };
}
