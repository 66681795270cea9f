/**
 * The dialer's database side. Every decision is a row change, so any instance can run the dialer, a
 * restart resumes it, and two instances sharing the database never dial one number twice or exceed a
 * campaign's concurrency:
 * - `claim` runs in one IMMEDIATE transaction (SQLite's write lock, taken up front): it counts the
 *   campaign's calls in progress, marks due numbers `dialing` and stores each one's outbound call row
 *   (status `dialing`, never `scheduled`) before any originate is sent. Two instances claiming at once
 *   are serialized; the second sees the first's claims.
 * - `settle` turns an attempt whose call has ended into completed / a retry / failed by the campaign's
 *   retry policy, from the call's own rows (so it works after a restart, whoever placed the call).
 */
import { sqliteOf, type Db } from '../../db/client.ts';
import type { StoredCampaignPlay, StoredRetryPolicy } from '../../db/schema/index.ts';
import type { PlacedSpec } from '../calls/placed-spec.ts';
import { insertOutbound } from '../calls/call-store.ts';

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
export function activeCampaigns(db: Db): DueCampaign[] {
  const rows = sqliteOf(db)
    .prepare(`select id, org_id, did, play, concurrency, window_start, window_end, days, timezone from campaigns where status = 'on' order by id`)
    .all() as Array<Record<string, string | number>>;
  return rows.map((r) => ({
    id: String(r.id), orgId: String(r.org_id), did: String(r.did), play: JSON.parse(String(r.play)) as StoredCampaignPlay,
    concurrency: Number(r.concurrency), windowStart: String(r.window_start), windowEnd: String(r.window_end),
    days: JSON.parse(String(r.days)) as number[], timezone: String(r.timezone),
  }));
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
export function claim(db: Db, c: DueCampaign, nowMs: number, max: number): string[] {
  const sqlite = sqliteOf(db);
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
      // The same row every placed call has (call-store.ts), stored `dialing`: claimed, dialled next by this instance.
      const call = insertOutbound(db, { orgId: c.orgId, kind: spec.kind, did: c.did, first: n.number, second: null, spec, campaignId: c.id, campaignNumberId: n.id }, 'dialing');
      mark.run(call.id, at, n.id);
      ids.push(call.id);
    }
    return ids;
  });
  return run.immediate();
}

/** A claimed call that could not be placed (the switch went away first): nothing was dialled, so nothing counts. */
export function unclaim(db: Db, callId: string, nowMs: number): void {
  const sqlite = sqliteOf(db);
  const at = new Date(nowMs).toISOString();
  sqlite.transaction(() => {
    sqlite.prepare(`update campaign_numbers set status = 'pending', attempts = max(0, attempts - 1), updated_at = ? where last_call_id = ? and status = 'dialing'`).run(at, callId);
    sqlite.prepare(`update outbound_calls set status = 'cancelled', hangup_cause = 'NOT_DIALLED', updated_at = ? where id = ? and started_at is null`).run(at, callId);
  }).immediate();
}

type RetryKind = keyof StoredRetryPolicy;

/** The retry bucket of an unanswered call's outcome. */
function retryKind(disposition: string | null): RetryKind {
  return disposition === 'busy' ? 'busy' : disposition === 'no_answer' ? 'no_answer' : 'failed';
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

/**
 * Settles the attempts whose calls have ended. Answered: completed. Not answered: another attempt after
 * the policy's spacing while attempts remain for that outcome, else failed. A call that never left
 * (no originate: `started_at` empty) goes back to pending without counting. One whose fate is unknown
 * (the channel vanished while no controller watched it) is settled as failed, never dialled again: a
 * second call to somebody who may have answered the first is worse than one missed retry.
 */
export function settle(db: Db, nowMs: number): number {
  const sqlite = sqliteOf(db);
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

/** The calls of a campaign still in progress (to hang up when it is switched off). */
export function callsInProgress(db: Db, campaignId: string): Array<{ id: string; orgId: string }> {
  return sqliteOf(db)
    .prepare(`select o.id, o.org_id as orgId from campaign_numbers n join outbound_calls o on o.id = n.last_call_id
      where n.campaign_id = ? and n.status = 'dialing' and o.status in ('dialing', 'ringing', 'answered', 'bridged')`)
    .all(campaignId) as Array<{ id: string; orgId: string }>;
}
