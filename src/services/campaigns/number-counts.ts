/**
 * Campaign numbers by status (pending, dialing, completed, failed, dnc, cancelled), over every campaign and
 * organization: the dialer's progress as a metrics scrape reads it. One GROUP BY that reads the dialer's
 * (campaign_id, status, next_attempt_at) index, not the rows.
 */
import { sqliteOf, type Db } from '../../db/client.ts';

export function campaignNumberCounts(db: Db): () => Array<{ status: string; count: number }> {
  const byStatus = sqliteOf(db).prepare(`select status, count(*) as count from campaign_numbers group by status`);
  return () => byStatus.all() as Array<{ status: string; count: number }>;
}
