/** Campaign logs: every attempt (a placed call) with its answer, keys, outcome, duration and recording. */
import { sqliteOf, type Db } from '../../db/client.ts';

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

/** Newest first; `campaignId` narrows to one campaign. */
export function listCampaignAttempts(db: Db, orgId: string, q: { campaignId?: string | undefined; limit: number; offset: number }): { rows: CampaignAttempt[]; total: number } {
  const where = `o.org_id = ? and o.campaign_id is not null${q.campaignId ? ' and o.campaign_id = ?' : ''}`;
  const args: unknown[] = q.campaignId ? [orgId, q.campaignId] : [orgId];
  const sqlite = sqliteOf(db);
  const rows = sqlite.prepare(`select o.id as call_id, o.campaign_id, o.first_number as number,
      row_number() over (partition by o.campaign_number_id order by o.created_at, o.id) as attempt,
      o.status, l.answered_at is not null as answered, l.disposition as outcome, coalesce(l.dtmf, '') as dtmf, l.duration_s,
      coalesce(o.hangup_cause, l.hangup_cause) as hangup_cause, coalesce(l.started_at, o.started_at) as started_at, l.ended_at,
      (select r.id from call_recordings r where r.call_id = o.id order by r.created_at limit 1) as recording_id
    from outbound_calls o left join call_logs l on l.id = o.id
    where ${where} order by o.created_at desc, o.id desc limit ? offset ?`).all(...args, q.limit, q.offset) as Array<Omit<CampaignAttempt, 'answered'> & { answered: number }>;
  const total = (sqlite.prepare(`select count(*) as n from outbound_calls o where ${where}`).get(...args) as { n: number }).n;
  return { rows: rows.map((r) => ({ ...r, answered: Boolean(r.answered) })), total };
}
