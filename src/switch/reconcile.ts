/**
 * A controller restart leaves no orphans (docs/decisions/006-restart-reconcile.md). Whenever a switch's
 * inbound ESL connection comes up (start, every reconnect), once more grace + settle later, and every
 * `intervalMs`, with every switch that is connected (docs/decisions/008-several-switches.md):
 *
 * 1. Calls FreeSWITCH ended in `controller_unavailable` (mod_db records, unseen-records.ts): a call
 *    no controller logged gets its call_logs row (outcome `controller_unavailable`); a call whose
 *    controller died mid-call gets its open row closed with the switch's end time and cause
 *    (outcome `controller_lost`). The record is deleted once the database has it.
 * 2. Rows still not ended, older than `graceMs`, not a call this process runs (registry) and whose
 *    channel no switch that may have it still has (one `show channels as delim |` per switch; the row's
 *    switch, or every switch when it is not known): closed as `controller_lost`, ended now. Rows whose
 *    channel still exists are left for a later sweep; so are rows whose switch is down or did not answer,
 *    until they are older than `switchDownMs` (no call lasts longer): then they are closed too.
 * 3. Calls parked in the socket app for longer than `graceMs` with no call log at all (their controller
 *    died before it said `connect`): transferred to controller_unavailable, so step 1 logs them.
 *
 * Every close and insert is guarded in SQL (reconcile-store.ts) and announces `call.hangup` on the
 * bus only when it changed a row, so several instances reconciling at once announce each call once.
 * The switch side runs under a lease in the database: one instance at a time, periodic sweeps at
 * most once per interval across all instances.
 *
 * Finding open rows without an index on ended_at: the first sweep reads the table once by rowid
 * ranges (yielding between chunks); later sweeps read only rows added since, plus the open rows seen
 * before (kept by id until they end). A call lasts at most max_call_seconds, so that set stays as
 * small as the calls in progress. On PostgreSQL the store reads the open rows from a partial index instead
 * (reconcile-store.ts `openAll`).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../runtime/logger.ts';
import type { SwitchLink, Switches } from './switches.ts';
import type { CallEventBus } from '../domain/call-events.ts';
import type { CallRegistry } from '../call/registry.ts';
import type { SnapshotSource } from '../call/session.ts';
import { timeOrderedUuid } from '../db/time-ordered-id.ts';
import { normalizeE164 } from '../services/numbers/phone.ts';
import { listChannels, type SwitchChannel } from './switch-channels.ts';
import { deleteUnseen, listUnseen, readUnseen, type UnseenRecord } from './unseen-records.ts';
import { OUTCOME_LOST, OUTCOME_UNAVAILABLE, type OpenRow, type ReconcileStore } from './reconcile-store.ts';

export type ReconcileSwitches = Pick<Switches, 'list' | 'owners' | 'onState' | 'anyConnected'>;

export interface ReconcileSettings {
  /** Rows younger than this are never closed (default 10 s). */
  readonly graceMs?: number;
  /** Wait between seeing a channel gone and closing its row: a live instance's final write lands first (default 2 s). */
  readonly settleMs?: number;
  /** Periodic sweep (default 60 s; 0 = only on connect). */
  readonly intervalMs?: number;
  /** Lease length: longer than a sweep can take (default 60 s). */
  readonly leaseMs?: number;
  /** At most this many rows closed and records taken per sweep (default 2000). */
  readonly maxPerSweep?: number;
  /** Rowid range read per step of the first scan (default 20000). */
  readonly scanChunk?: number;
  readonly commandTimeoutMs?: number;
  /** A row whose switch cannot be asked is closed once it is this old (default 4 h = max_call_seconds). */
  readonly switchDownMs?: number;
  readonly defaultCountryCode: string;
}

export interface ReconcilerDeps {
  readonly store: ReconcileStore;
  readonly switches: ReconcileSwitches;
  readonly registry: Pick<CallRegistry, 'get'>;
  readonly bus: CallEventBus;
  readonly snapshots: SnapshotSource;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly settings: ReconcileSettings;
  /** This process in the lease (default: a random uuid). */
  readonly instanceId?: string;
  /** Told after every sweep the timer or a (re)connect fires (not after a direct `sweep()` call). */
  readonly onSweep?: (reason: SweepReason, result: SweepResult) => void;
}

export interface SweepResult {
  /** False when another instance held the lease (or no switch was connected). */
  readonly ran: boolean;
  /** Rows closed as controller_lost. */
  readonly closed: number;
  /** Rows written for calls no controller saw. */
  readonly inserted: number;
  /** Rows left open because their channel still exists. */
  readonly leftOpen: number;
  /** Rows left open because a switch that may have their channel is down or did not answer. */
  readonly waiting: number;
  /** Calls found parked in the socket app with no call log, sent to controller_unavailable. */
  readonly unstuck: number;
}

/**
 * `connect`: a switch's inbound connection came up. `follow-up`: once more, grace + settle after that, for
 * the rows that were too young then (the calls the dead controller had just taken) and the calls that
 * were still in controller_unavailable. `periodic`: every interval.
 */
export type SweepReason = 'connect' | 'follow-up' | 'periodic';

export interface Reconciler {
  /** Subscribes to the switches' states and starts the periodic timer. */
  start(): void;
  stop(): void;
  /** One sweep now; only `periodic` keeps the once-per-interval rule (all keep the lease). */
  sweep(reason: SweepReason): Promise<SweepResult>;
}

const NOT_RUN: SweepResult = { ran: false, closed: 0, inserted: 0, leftOpen: 0, waiting: 0, unstuck: 0 };

export function createReconciler(d: ReconcilerDeps): Reconciler {
  const s = d.settings;
  const graceMs = s.graceMs ?? 10_000;
  const settleMs = s.settleMs ?? 2_000;
  const intervalMs = s.intervalMs ?? 60_000;
  const leaseMs = s.leaseMs ?? 60_000;
  const maxPerSweep = s.maxPerSweep ?? 2_000;
  const scanChunk = s.scanChunk ?? 20_000;
  const switchDownMs = s.switchDownMs ?? 4 * 3600_000;
  const timeoutMs = s.commandTimeoutMs;
  const owner = d.instanceId ?? randomUUID();
  const log = d.logger;

  /** Open rows seen so far (by id), and how far the table has been read. */
  const seen = new Map<string, OpenRow>();
  let horizon = 0;
  let running: Promise<SweepResult> | null = null;
  let queued: Promise<SweepResult> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let followUp: NodeJS.Timeout | null = null;
  let offState: (() => void) | null = null;

  const announce = (callId: string, orgId: string | null, cause: string | null, disposition: string) =>
    d.bus.emit({ type: 'call.hangup', callId, orgId, cause, disposition, at: d.now().toISOString() });

  /** Reads rows added since the last sweep, then returns every known row that is still open. */
  const openRows = async (): Promise<OpenRow[]> => {
    if (d.store.openAll) return d.store.openAll();
    const top = await d.store.maxRowid();
    while (horizon < top) {
      const upTo = Math.min(top, horizon + scanChunk);
      for (const row of await d.store.openInRange(horizon, upTo)) seen.set(row.id, row);
      horizon = upTo;
      if (horizon < top) await new Promise((r) => setImmediate(r));
    }
    const open = await d.store.stillOpen([...seen.keys()]);
    const still = new Set(open.map((r) => r.id));
    for (const id of [...seen.keys()]) if (!still.has(id)) seen.delete(id);
    return open;
  };

  const unseenRow = async (r: UnseenRecord, switchId: string) => {
    const cc = s.defaultCountryCode;
    const did = normalizeE164(r.dialled, cc) ?? r.dialled;
    const found = (await d.snapshots.lookupDid(did)) ?? (did !== r.dialled ? await d.snapshots.lookupDid(r.dialled) : null);
    const caller = normalizeE164(r.caller, cc) ?? r.caller;
    return {
      id: timeOrderedUuid(Date.parse(r.startedAt)),
      callUuid: r.uuid,
      switchId,
      orgId: found?.orgId ?? null,
      did,
      caller,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      hangupCause: r.hangupCause ?? 'NORMAL_TEMPORARY_FAILURE',
    };
  };

  /** Step 1: a switch's records of calls that ended in controller_unavailable. */
  const takeRecords = async (link: SwitchLink, budget: number): Promise<{ closed: number; inserted: number }> => {
    const client = link.client;
    let closed = 0;
    let inserted = 0;
    let taken = 0;
    const skipped = new Set<string>();
    while (taken < budget) {
      const keys = (await listUnseen(client, timeoutMs)).filter((k) => !skipped.has(k));
      if (keys.length === 0) break;
      for (const uuid of keys) {
        if (taken >= budget) break;
        taken++;
        const got = await readUnseen(client, uuid, timeoutMs);
        if (got.kind === 'gone') continue;
        if (got.kind === 'invalid') {
          log.warn({ uuid, value: got.value }, 'unreadable controller_unavailable record; deleted');
          await deleteUnseen(client, uuid, timeoutMs);
          continue;
        }
        const r = got.record;
        if (d.registry.get(r.uuid)) {
          // A call this process still runs: its own teardown writes the row. Keep the record for later.
          skipped.add(uuid);
          continue;
        }
        const open = await d.store.openByUuid(r.uuid);
        if (open.length > 0) {
          for (const row of open) {
            if (await d.store.closeLost(row, { endedAt: r.endedAt, hangupCause: r.hangupCause, answeredAt: r.answeredBefore })) {
              closed++;
              seen.delete(row.id);
              announce(row.id, row.orgId, r.hangupCause, OUTCOME_LOST);
            }
          }
        } else {
          const row = await unseenRow(r, link.id);
          if (await d.store.insertUnseen(row)) {
            inserted++;
            announce(row.id, row.orgId, row.hangupCause, OUTCOME_UNAVAILABLE);
          }
        }
        await deleteUnseen(client, uuid, timeoutMs);
      }
    }
    return { closed, inserted };
  };

  /**
   * Step 3: a call whose controller died between accepting the socket and sending `connect` stays
   * parked in the socket app until max_call_seconds (FreeSWITCH logs "Socket Error!" and never runs the
   * dialplan's next action). Older than the grace and with no call log anywhere, no controller has it:
   * send it to controller_unavailable, whose record the next sweep logs.
   */
  const unstick = async (link: SwitchLink, channels: Map<string, SwitchChannel>, t: number, budget: number): Promise<number> => {
    let n = 0;
    for (const ch of channels.values()) {
      if (n >= budget) break;
      if (!ch.inSocketApp || ch.createdEpochS === 0 || ch.createdEpochS * 1000 > t - graceMs) continue;
      if (d.registry.get(ch.uuid) || (await d.store.hasCall(ch.uuid))) continue;
      try {
        await link.client.api(`uuid_transfer ${ch.uuid} controller_unavailable XML public`, { timeoutMs });
        n++;
        log.warn({ uuid: ch.uuid, switch: link.id, createdEpochS: ch.createdEpochS }, 'call parked in the socket app with no controller; sent to controller_unavailable');
      } catch (err) {
        log.debug({ err, uuid: ch.uuid }, 'uuid_transfer of a stuck call failed (it may have ended)');
      }
    }
    return n;
  };

  /** Step 2: open rows whose channel is gone from every switch that may have it (and step 3 on the same listings). */
  const closeOrphans = async (up: readonly SwitchLink[], budget: number): Promise<{ closed: number; leftOpen: number; waiting: number; unstuck: number }> => {
    const t = d.now().getTime();
    const cutoff = new Date(t - graceMs).toISOString();
    const candidates = (await openRows()).filter((r) => r.startedAt < cutoff && !d.registry.get(r.callUuid)).slice(0, budget);
    const listed = new Map<string, Map<string, SwitchChannel>>();
    let unstuck = 0;
    for (const link of up) {
      try {
        const channels = await listChannels(link.client, timeoutMs);
        listed.set(link.id, channels);
        unstuck += await unstick(link, channels, t, budget - unstuck);
      } catch (err) {
        log.warn({ err, switch: link.id }, 'listing the switch\'s channels failed; its calls wait for the next sweep');
      }
    }
    const gone: OpenRow[] = [];
    const stale: OpenRow[] = [];
    let leftOpen = 0;
    let waiting = 0;
    for (const row of candidates) {
      const owners = d.switches.owners(row.switchId);
      const uuid = row.callUuid.toLowerCase();
      if (owners.some((l) => listed.get(l.id)?.has(uuid))) leftOpen++;
      else if (owners.every((l) => listed.has(l.id))) gone.push(row);
      // A switch that may have it cannot be asked: wait for it, but not longer than a call can last.
      else if (t - Date.parse(row.startedAt) >= switchDownMs) stale.push(row);
      else waiting++;
    }
    if (stale.length > 0) log.warn({ rows: stale.length }, 'closing calls whose switch has been unreachable for longer than a call may last');
    if (gone.length > 0 && settleMs > 0) await sleep(settleMs);
    let closed = 0;
    const endedAt = new Date(t).toISOString();
    for (const row of [...gone, ...stale]) {
      if (d.registry.get(row.callUuid)) continue;
      if (await d.store.closeLost(row, { endedAt, hangupCause: null, answeredAt: null })) {
        closed++;
        announce(row.id, row.orgId, null, OUTCOME_LOST);
      }
      seen.delete(row.id);
    }
    return { closed, leftOpen, waiting, unstuck };
  };

  const run = async (reason: SweepReason): Promise<SweepResult> => {
    const up = d.switches.list.filter((l) => l.connected);
    if (up.length === 0) return NOT_RUN;
    const startMs = d.now().getTime();
    if (!(await d.store.claimLease(owner, startMs, leaseMs, reason === 'periodic' ? Math.floor(intervalMs * 0.9) : 0))) return NOT_RUN;
    try {
      const records = { closed: 0, inserted: 0 };
      for (const link of up) {
        try {
          const r = await takeRecords(link, maxPerSweep - records.closed - records.inserted);
          records.closed += r.closed;
          records.inserted += r.inserted;
        } catch (err) {
          // One switch not answering does not keep the others' records waiting.
          log.warn({ err, switch: link.id }, 'reading the switch\'s controller_unavailable records failed; retried on the next sweep');
        }
      }
      const orphans = await closeOrphans(up, maxPerSweep);
      const result = {
        ran: true, closed: records.closed + orphans.closed, inserted: records.inserted, leftOpen: orphans.leftOpen, waiting: orphans.waiting, unstuck: orphans.unstuck,
      };
      const level = result.closed + result.inserted + result.unstuck > 0 ? 'info' : 'debug';
      log[level]({ reason, ...result, switches: up.map((l) => l.id), ms: d.now().getTime() - startMs }, 'reconciled call logs with the switches');
      return result;
    } finally {
      await d.store.releaseLease(owner, d.now().getTime());
    }
  };

  const sweep = (reason: SweepReason): Promise<SweepResult> => {
    // One sweep at a time in this process. A request while one runs gets one more sweep after it (shared by
    // every request meanwhile): the running one asked only the switches up when it began, and a switch that
    // has just reconnected must be asked now, not at the follow-up.
    if (!running) {
      running = run(reason).finally(() => {
        running = null;
      });
      return running;
    }
    queued ??= running.then(() => undefined, () => undefined).then(() => {
      queued = null;
      return sweep(reason);
    });
    return queued;
  };

  const fire = (reason: SweepReason): void => {
    void sweep(reason).then(
      (result) => d.onSweep?.(reason, result),
      (err: unknown) => log.warn({ err, reason }, 'call log reconciliation failed; retried on the next sweep'),
    );
  };

  const onConnected = (): void => {
    fire('connect');
    if (followUp) clearTimeout(followUp);
    followUp = setTimeout(() => {
      followUp = null;
      fire('follow-up');
    }, graceMs + settleMs + 1_000);
    followUp.unref();
  };

  return {
    start() {
      if (offState) return;
      offState = d.switches.onState((_link, state) => {
        if (state === 'connected') onConnected();
      });
      if (d.switches.anyConnected) onConnected();
      if (intervalMs > 0) {
        timer = setInterval(() => fire('periodic'), intervalMs);
        timer.unref();
      }
    },
    stop() {
      offState?.();
      offState = null;
      if (timer) clearInterval(timer);
      if (followUp) clearTimeout(followUp);
      timer = null;
      followUp = null;
    },
    sweep,
  };
}
