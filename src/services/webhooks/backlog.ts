/**
 * How many webhook deliveries wait to be sent (status `pending`: not yet tried, or waiting for a retry).
 * Asked on every metrics scrape, so it must stay cheap: a count over the (status, next_attempt_at) index.
 */
import { sqliteOf, type Db } from '../../db/client.ts';

export function webhookBacklog(db: Db): () => number {
  const count = sqliteOf(db).prepare(`select count(*) as n from webhook_deliveries where status = 'pending'`);
  return () => (count.get() as { n: number }).n;
}
