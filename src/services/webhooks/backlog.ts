/**
 * How many webhook deliveries wait to be sent (status `pending`: not yet tried, or waiting for a retry).
 * Asked on every metrics scrape, so it must stay cheap: a count over the (status, next_attempt_at) index.
 */
import type Database from 'better-sqlite3';
import type { Db } from '../../db/handle.ts';

const SQL = `select count(*) as n from webhook_deliveries where status = 'pending'`;

export function webhookBacklog(db: Db): () => Promise<number> {
  const { driver } = db;
  if (driver.dialect === 'postgres') {
    return async () => Number((await driver.pool.query<{ n: string }>({ name: 'webhook_backlog', text: SQL })).rows[0]!.n);
  }
  let count: Database.Statement<[], { n: number }> | undefined;
  return () => driver.gate.withRaw((raw) => (count ??= raw.prepare<[], { n: number }>(SQL)).get()!.n);
}
