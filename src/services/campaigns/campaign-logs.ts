/** Campaign logs: every attempt (a placed call) with its answer, keys, outcome, duration and recording. */
import type { Db } from '../../db/handle.ts';

export interface CampaignAttempt {
  call_id: string;
  campaign_id: string;
  number: string;
  attempt: number;
  status: string;
  answered: boolean;
  outcome: string | null;
  dtmf: string;
  duration_s: number | null;
  hangup_cause: string | null;
  started_at: string | null;
  ended_at: string | null;
  recording_id: string | null;
}

/** The attempts query with `?` (SQLite) or `$n` (PostgreSQL) parameters; integers as numbers on both. */
function attemptsSql(pg: boolean, campaign: boolean): { rows: string; total: string } {
  let n = 0;
  const p = () => (pg ? `$${++n}` : '?');
  const int = (e: string) => (pg ? `(${e})::int` : e);
  const where = `o.org_id = ${p()} and o.campaign_id is not null${campaign ? ` and o.campaign_id = ${p()}` : ''}`;
  const total = `select count(*) as n from outbound_calls o where ${where}`;
  const rows = `select o.id as call_id, o.campaign_id, o.first_number as number,
      ${int('row_number() over (partition by o.campaign_number_id order by o.created_at, o.id)')} as attempt,
      o.status, l.answered_at is not null as answered, l.disposition as outcome, coalesce(l.dtmf, '') as dtmf, ${int('l.duration_s')} as duration_s,
      coalesce(o.hangup_cause, l.hangup_cause) as hangup_cause, coalesce(l.started_at, o.started_at) as started_at, l.ended_at,
      (select r.id from call_recordings r where r.call_id = o.id order by r.created_at limit 1) as recording_id
    from outbound_calls o left join call_logs l on l.id = o.id
    where ${where} order by o.created_at desc, o.id desc limit ${p()} offset ${p()}`;
  return { rows, total };
}

type AttemptRow = Omit<CampaignAttempt, 'answered'> & { answered: number | boolean };

/** Newest first; `campaignId` narrows to one campaign. */
export async function listCampaignAttempts(db: Db, orgId: string, q: { campaignId?: string | undefined; limit: number; offset: number }): Promise<{ rows: CampaignAttempt[]; total: number }> {
  const args: unknown[] = q.campaignId ? [orgId, q.campaignId] : [orgId];
  const { driver } = db;
  const text = attemptsSql(driver.dialect === 'postgres', Boolean(q.campaignId));
  let rows: AttemptRow[];
  let total: number;
  if (driver.dialect === 'sqlite') {
    [rows, total] = await driver.gate.withRaw((raw) => [
      raw.prepare(text.rows).all(...args, q.limit, q.offset) as AttemptRow[],
      (raw.prepare(text.total).get(...args) as { n: number }).n,
    ] as const);
  } else {
    rows = (await driver.pool.query<AttemptRow>({ text: text.rows, values: [...args, q.limit, q.offset] })).rows;
    total = Number((await driver.pool.query<{ n: string }>({ text: text.total, values: args })).rows[0]?.n ?? 0);
  }
  return { rows: rows.map((r) => ({ ...r, answered: Boolean(r.answered) })), total };
}
