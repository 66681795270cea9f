/**
 * The dialer's database side. Every decision is a row change, so any instance can run the dialer, a
 * restart resumes it, and two instances sharing the database never dial one number twice or exceed a
 * campaign's concurrency:
 * - `claim` runs in one transaction: it counts the campaign's calls in progress, marks due numbers
 *   `dialing` and stores each one's outbound call row (status `dialing`, never `scheduled`) before any
 *   originate is sent. Two instances claiming at once are serialized, and the second sees the first's
 *   claims: on SQLite by the IMMEDIATE transaction (the write lock, taken up front); on PostgreSQL by the
 *   campaign row's lock (`FOR UPDATE`, taken first: the count is read-then-write), the due numbers being
 *   taken `FOR UPDATE SKIP LOCKED` besides.
 * - On SQLite `claim`, `unclaim` and `settle` are each one synchronous transaction in one turn of the
 *   connection (`gate.withRaw`), as before the async data layer: a write transaction that awaited would
 *   hold the database's lock across the event loop, where another connection of the same process (a
 *   test's second instance) would block the thread waiting for it. On PostgreSQL they are transactions
 *   over the pool.
 * - `settle` turns an attempt whose call has ended into completed / a retry / failed by the campaign's
 *   retry policy, from the call's own rows (so it works after a restart, whoever placed the call).
 */
import type Database from 'better-sqlite3';
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { affectedRows, transaction, type Db } from '../../db/handle.ts';
import * as schema from '../../db/schema/index.ts';
import type { StoredCampaignPlay, StoredRetryPolicy } from '../../db/schema/index.ts';
import type { PlacedSpec } from '../calls/placed-spec.ts';
import { insertOutboundSqlite, insertOutbound, LIVE_STATUSES } from '../calls/call-store.ts';

export interface DueCampaign {
  id: string;
  orgId: string;
  did: string;
  play: StoredCampaignPlay;
  concurrency: number;
  windowStart: string;
  windowEnd: string;
  days: number[];
  timezone: string;
}

/** Campaigns whose status is on (every organization's). */
export async function activeCampaigns(db: Db): Promise<DueCampaign[]> {
  const { campaigns } = db.t;
  return db.select({
    id: campaigns.id, orgId: campaigns.orgId, did: campaigns.did, play: campaigns.play, concurrency: campaigns.concurrency,
    windowStart: campaigns.windowStart, windowEnd: campaigns.windowEnd, days: campaigns.days, timezone: campaigns.timezone,
  }).from(campaigns).where(eq(campaigns.status, 'on')).orderBy(asc(campaigns.id));
}

/** What a claimed attempt plays: the campaign's play with the number's variables. */
function specFor(play: StoredCampaignPlay, variables: Record<string, string>): PlacedSpec {
  return play.kind === 'flow'
    ? { kind: 'flow', ivrId: play.ivrId }
    : { kind: 'tts', templateId: play.templateId, variables, audio: null, ivrId: play.ivrId };
}

/**
 * Claims up to `max` due numbers of the campaign, within its concurrency, and stores their calls (ids
 * returned, to place). Numbers on the org's do-not-call list are marked `dnc` instead, never dialled.
 */
export function claim(db: Db, c: DueCampaign, nowMs: number, max: number): Promise<string[]> {
  const { driver } = db;
  if (driver.dialect === 'sqlite') return driver.gate.withRaw((raw) => claimSqlite(raw, c, nowMs, max));
  return transaction(db, async (tx) => {
    const { campaigns, campaignNumbers, dncNumbers } = tx.t;
    // The campaign's row lock serializes claimers of one campaign (READ COMMITTED: each statement after
    // it sees the claims the previous holder committed).
    const [campaign] = await tx.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, c.id)).for('update');
    if (campaign?.status !== 'on') return [];
    const [busyRow] = await tx.select({ n: sql<number>`count(*)` }).from(campaignNumbers)
      .where(and(eq(campaignNumbers.campaignId, c.id), eq(campaignNumbers.status, 'dialing')));
    const room = Math.min(max, c.concurrency - Number(busyRow?.n ?? 0));
    if (room <= 0) return [];
    const due = await tx.select({ id: campaignNumbers.id, number: campaignNumbers.number, variables: campaignNumbers.variables }).from(campaignNumbers)
      .where(and(eq(campaignNumbers.campaignId, c.id), eq(campaignNumbers.status, 'pending'), lte(campaignNumbers.nextAttemptAt, nowMs)))
      .orderBy(asc(campaignNumbers.nextAttemptAt), asc(campaignNumbers.createdAt), asc(campaignNumbers.id)).limit(room)
      .for('update', { skipLocked: true });
    const at = new Date(nowMs).toISOString();
    const ids: string[] = [];
    for (const n of due) {
      const [dnc] = await tx.select({ one: sql<number>`1` }).from(dncNumbers)
        .where(and(eq(dncNumbers.orgId, c.orgId), eq(dncNumbers.number, n.number))).limit(1);
      if (dnc) {
        await tx.update(campaignNumbers).set({ status: 'dnc', lastOutcome: 'dnc', updatedAt: at }).where(eq(campaignNumbers.id, n.id));
        continue;
      }
      const spec = specFor(c.play, n.variables);
      // The same row every placed call has (call-store.ts), stored `dialing`: claimed, dialled next by this instance.
      const call = await insertOutbound(tx, { orgId: c.orgId, kind: spec.kind, did: c.did, first: n.number, second: null, spec, campaignId: c.id, campaignNumberId: n.id }, 'dialing');
      await tx.update(campaignNumbers).set({ status: 'dialing', attempts: sql`${campaignNumbers.attempts} + 1`, lastCallId: call.id, updatedAt: at })
        .where(and(eq(campaignNumbers.id, n.id), eq(campaignNumbers.status, 'pending')));
      ids.push(call.id);
    }
    return ids;
  });
}

/** A claimed call that could not be placed (the switch went away first): nothing was dialled, so nothing counts. */
export async function unclaim(db: Db, callId: string, nowMs: number): Promise<void> {
  const at = new Date(nowMs).toISOString();
  const { driver } = db;
  if (driver.dialect === 'sqlite') return driver.gate.withRaw((raw) => unclaimSqlite(raw, callId, at));
  await transaction(db, async (tx) => {
    const { campaignNumbers, outboundCalls } = tx.t;
    await tx.update(campaignNumbers)
      .set({ status: 'pending', attempts: sql`case when ${campaignNumbers.attempts} > 0 then ${campaignNumbers.attempts} - 1 else 0 end`, updatedAt: at })
      .where(and(eq(campaignNumbers.lastCallId, callId), eq(campaignNumbers.status, 'dialing')));
    await tx.update(outboundCalls).set({ status: 'cancelled', hangupCause: 'NOT_DIALLED', updatedAt: at })
      .where(and(eq(outboundCalls.id, callId), sql`${outboundCalls.startedAt} is null`));
  });
}

type RetryKind = keyof StoredRetryPolicy;

/** The retry bucket of an unanswered call's outcome. */
function retryKind(disposition: string | null): RetryKind {
  return disposition === 'busy' ? 'busy' : disposition === 'no_answer' ? 'no_answer' : 'failed';
}

/**
 * Settles the attempts whose calls have ended. Answered: completed. Not answered: another attempt after
 * the policy's spacing while attempts remain for that outcome, else failed. A call that never left
 * (no originate: `started_at` empty) goes back to pending without counting. One whose fate is unknown
 * (the channel vanished while no controller watched it) is settled as failed, never dialled again: a
 * second call to somebody who may have answered the first is worse than one missed retry.
 * Each update is conditional on the attempt still being the number's current one, so two instances
 * settling at once settle it once.
 */
export async function settle(db: Db, nowMs: number): Promise<number> {
  const { driver } = db;
  if (driver.dialect === 'sqlite') return driver.gate.withRaw((raw) => settleSqlite(raw, nowMs));
  const { campaignNumbers: n, campaigns: c, outboundCalls: o, callLogs: l } = db.t;
  const rows = await db.select({
    numberId: n.id, attempts: n.attempts, callId: o.id, retry: c.retry, hangupCause: o.hangupCause, startedAt: o.startedAt,
    answeredAt: l.answeredAt, disposition: l.disposition, logEnded: l.endedAt,
  }).from(n)
    .innerJoin(c, eq(c.id, n.campaignId))
    .innerJoin(o, eq(o.id, n.lastCallId))
    .leftJoin(l, eq(l.id, o.id))
    .where(and(eq(n.status, 'dialing'), inArray(o.status, ['ended', 'failed', 'cancelled'])));
  if (rows.length === 0) return 0;
  const at = new Date(nowMs).toISOString();
  return transaction(db, async (tx) => {
    const { campaignNumbers } = tx.t;
    let settled = 0;
    const update = async (r: (typeof rows)[number], v: { status: string; attempts: number; nextAttemptAt: number; lastOutcome: string | null; answered: boolean }) => {
      settled += affectedRows(await tx.update(campaignNumbers).set({ ...v, updatedAt: at })
        .where(and(eq(campaignNumbers.id, r.numberId), eq(campaignNumbers.status, 'dialing'), eq(campaignNumbers.lastCallId, r.callId))));
    };
    for (const r of rows) {
      const neverLeft = r.startedAt === null;
      // A placed call's log is finished by whoever ran it; an unanswered one by the call control at once.
      if (!neverLeft && r.logEnded === null) continue;
      if (neverLeft) {
        await update(r, { status: 'pending', attempts: Math.max(0, r.attempts - 1), nextAttemptAt: nowMs, lastOutcome: null, answered: false });
      } else if (r.answeredAt !== null) {
        await update(r, { status: 'completed', attempts: r.attempts, nextAttemptAt: 0, lastOutcome: r.disposition ?? 'answered', answered: true });
      } else if (r.hangupCause === 'LOST_TRACK') {
        await update(r, { status: 'failed', attempts: r.attempts, nextAttemptAt: 0, lastOutcome: 'lost_track', answered: false });
      } else {
        const policy = r.retry[retryKind(r.disposition)];
        const again = r.attempts < policy.attempts;
        await update(r, {
          status: again ? 'pending' : 'failed', attempts: r.attempts, nextAttemptAt: again ? nowMs + policy.spacingS * 1000 : 0,
          lastOutcome: r.disposition ?? 'failed', answered: false,
        });
      }
    }
    return settled;
  });
}

/** The calls of a campaign still in progress (to hang up when it is switched off). */
export async function callsInProgress(db: Db, campaignId: string): Promise<Array<{ id: string; orgId: string }>> {
  const { campaignNumbers: n, outboundCalls: o } = db.t;
  return db.select({ id: o.id, orgId: o.orgId }).from(n).innerJoin(o, eq(o.id, n.lastCallId))
    .where(and(eq(n.campaignId, campaignId), eq(n.status, 'dialing'), inArray(o.status, LIVE_STATUSES)));
}

// SQLite: the statements as before the async data layer, each function one synchronous IMMEDIATE
// transaction in the connection's turn (see the top of this file).

/** The synchronous drizzle handle over a raw connection, for insertOutboundSqlite inside a synchronous transaction. */
type SyncDb = BetterSQLite3Database<typeof schema>;
const syncHandles = new WeakMap<Database.Database, SyncDb>();
function syncHandle(raw: Database.Database): SyncDb {
  let db = syncHandles.get(raw);
  if (!db) syncHandles.set(raw, (db = drizzle(raw, { schema })));
  return db;
}

function claimSqlite(sqlite: Database.Database, c: DueCampaign, nowMs: number, max: number): string[] {
  const run = sqlite.transaction((): string[] => {
    const status = sqlite.prepare(`select status from campaigns where id = ?`).get(c.id) as { status: string } | undefined;
    if (status?.status !== 'on') return [];
    const busy = (sqlite.prepare(`select count(*) as n from campaign_numbers where campaign_id = ? and status = 'dialing'`).get(c.id) as { n: number }).n;
    const room = Math.min(max, c.concurrency - busy);
    if (room <= 0) return [];
    const due = sqlite
      .prepare(`select id, number, variables from campaign_numbers where campaign_id = ? and status = 'pending' and next_attempt_at <= ? order by next_attempt_at, created_at, id limit ?`)
      .all(c.id, nowMs, room) as Array<{ id: string; number: string; variables: string }>;
    const at = new Date(nowMs).toISOString();
    const dnc = sqlite.prepare(`select 1 from dnc_numbers where org_id = ? and number = ?`);
    const markDnc = sqlite.prepare(`update campaign_numbers set status = 'dnc', last_outcome = 'dnc', updated_at = ? where id = ?`);
    const mark = sqlite.prepare(`update campaign_numbers set status = 'dialing', attempts = attempts + 1, last_call_id = ?, updated_at = ? where id = ? and status = 'pending'`);
    const ids: string[] = [];
    for (const n of due) {
      if (dnc.get(c.orgId, n.number)) {
        markDnc.run(at, n.id);
        continue;
      }
      const spec = specFor(c.play, JSON.parse(n.variables) as Record<string, string>);
      const call = insertOutboundSqlite(syncHandle(sqlite), { orgId: c.orgId, kind: spec.kind, did: c.did, first: n.number, second: null, spec, campaignId: c.id, campaignNumberId: n.id }, 'dialing');
      mark.run(call.id, at, n.id);
      ids.push(call.id);
    }
    return ids;
  });
  return run.immediate();
}

function unclaimSqlite(sqlite: Database.Database, callId: string, at: string): void {
  sqlite.transaction(() => {
    sqlite.prepare(`update campaign_numbers set status = 'pending', attempts = max(0, attempts - 1), updated_at = ? where last_call_id = ? and status = 'dialing'`).run(at, callId);
    sqlite.prepare(`update outbound_calls set status = 'cancelled', hangup_cause = 'NOT_DIALLED', updated_at = ? where id = ? and started_at is null`).run(at, callId);
  }).immediate();
}

interface Ended {
  number_id: string;
  attempts: number;
  retry: string;
  call_status: string;
  hangup_cause: string | null;
  started_at: string | null;
  answered_at: string | null;
  disposition: string | null;
  log_ended: string | null;
}

function settleSqlite(sqlite: Database.Database, nowMs: number): number {
  const rows = sqlite
    .prepare(`select n.id as number_id, n.attempts, c.retry, o.status as call_status, o.hangup_cause, o.started_at,
        l.answered_at, l.disposition, l.ended_at as log_ended
      from campaign_numbers n
      join campaigns c on c.id = n.campaign_id
      join outbound_calls o on o.id = n.last_call_id
      left join call_logs l on l.id = o.id
      where n.status = 'dialing' and o.status in ('ended', 'failed', 'cancelled')`)
    .all() as Ended[];
  if (rows.length === 0) return 0;
  const at = new Date(nowMs).toISOString();
  const update = sqlite.prepare(`update campaign_numbers set status = ?, attempts = ?, next_attempt_at = ?, last_outcome = ?, answered = ?, updated_at = ? where id = ? and status = 'dialing'`);
  let settled = 0;
  sqlite.transaction(() => {
    for (const r of rows) {
      const neverLeft = r.started_at === null;
      // A placed call's log is finished by whoever ran it; an unanswered one by the call control at once.
      if (!neverLeft && r.log_ended === null) continue;
      if (neverLeft) {
        update.run('pending', Math.max(0, r.attempts - 1), nowMs, null, 0, at, r.number_id);
      } else if (r.answered_at !== null) {
        update.run('completed', r.attempts, 0, r.disposition ?? 'answered', 1, at, r.number_id);
      } else if (r.hangup_cause === 'LOST_TRACK') {
        update.run('failed', r.attempts, 0, 'lost_track', 0, at, r.number_id);
      } else {
        const policy = (JSON.parse(r.retry) as StoredRetryPolicy)[retryKind(r.disposition)];
        const again = r.attempts < policy.attempts;
        update.run(again ? 'pending' : 'failed', r.attempts, again ? nowMs + policy.spacingS * 1000 : 0, r.disposition ?? 'failed', 0, at, r.number_id);
      }
      settled++;
    }
  }).immediate();
  return settled;
}
