/**
 * Campaign numbers by status (pending, dialing, completed, failed, dnc, cancelled), over every campaign and
 * organization: the dialer's progress as a metrics scrape reads it. One GROUP BY that reads the dialer's
 * (campaign_id, status, next_attempt_at) index, not the rows. SQLite: the prepared statement in the gate's
 * turn; PostgreSQL: a named statement (count(*) comes back as text).
 */
import type Database from 'better-sqlite3';
import type { Db } from '../../db/handle.ts';

const SQL = `select status, count(*) as count from campaign_numbers group by status`;

export function campaignNumberCounts(db: Db): () => Promise<Array<{ status: string; count: number }>> {
  const { driver } = db;
  if (driver.dialect === 'postgres') {
    return async () => (await driver.pool.query<{ status: string; count: string }>({ name: 'campaign_number_counts', text: SQL }))
      .rows.map((r) => ({ status: r.status, count: Number(r.count) }));
  }
  let byStatus: Database.Statement | undefined;
  return () => driver.gate.withRaw((raw) => (byStatus ??= raw.prepare(SQL)).all() as Array<{ status: string; count: number }>);
}
