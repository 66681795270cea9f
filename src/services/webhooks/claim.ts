/**
 * Claiming due outbox rows, once, whichever instance asks (the dispatcher's first step; docs/postgres.md).
 * A claim is a lease: `next_attempt_at` moves `leaseMs` ahead, so other passes skip the row until the
 * attempt is recorded, and a crash mid-attempt only delays the retry.
 * - SQLite: one BEGIN IMMEDIATE transaction (the database's write lock, shared by every process on the
 *   file) selects the due rows and leases each with a conditional UPDATE, in the connection's turn.
 * - PostgreSQL: one statement; FOR UPDATE SKIP LOCKED makes concurrent claimers take disjoint rows
 *   without waiting for each other, and the UPDATE leases them before the row locks are released.
 */
import type Database from 'better-sqlite3';
import type { Db } from '../../db/handle.ts';

export interface DueDelivery { id: string; endpoint_id: string; event_type: string; body: string; attempts: number; url: string; secret: string }

/** Claims up to `limit` rows due at `at` (epoch ms) for this caller alone. */
export type ClaimDue = (at: number, limit: number) => Promise<DueDelivery[]>;

const PG_CLAIM = `
  with due as (
    select d.id, d.next_attempt_at from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
    where d.status = 'pending' and d.next_attempt_at <= $1 and e.enabled
    order by d.next_attempt_at limit $2
    for update of d skip locked
  )
  update webhook_deliveries d set next_attempt_at = $3
  from due, webhook_endpoints e
  where d.id = due.id and e.id = d.endpoint_id
  returning d.id, d.endpoint_id, d.event_type, d.body, d.attempts::int as attempts, e.url, e.secret, due.next_attempt_at as due`;

export function createOutboxClaim(db: Db, leaseMs: number): ClaimDue {
  const { driver } = db;
  if (driver.dialect === 'postgres') {
    return async (at, limit) => {
      const { rows } = await driver.pool.query<DueDelivery & { due: string }>({ name: 'outbox_claim', text: PG_CLAIM, values: [at, limit, at + leaseMs] });
      // RETURNING has no order: oldest due first, as on SQLite.
      rows.sort((a, b) => Number(a.due) - Number(b.due));
      return rows.map(({ id, endpoint_id, event_type, body, attempts, url, secret }) => ({ id, endpoint_id, event_type, body, attempts, url, secret }));
    };
  }
  let claim: ((at: number, limit: number) => DueDelivery[]) | undefined;
  const prepare = (raw: Database.Database) => {
    const selectDue = raw.prepare(
      `select d.id, d.endpoint_id, d.event_type, d.body, d.attempts, e.url, e.secret
       from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
       where d.status = 'pending' and d.next_attempt_at <= ? and e.enabled = 1
       order by d.next_attempt_at limit ?`,
    );
    const lease = raw.prepare(`update webhook_deliveries set next_attempt_at = ? where id = ? and status = 'pending' and next_attempt_at <= ?`);
    const tx = raw.transaction((at: number, limit: number) =>
      (selectDue.all(at, limit) as DueDelivery[]).filter((r) => lease.run(at + leaseMs, r.id, at).changes === 1));
    return (at: number, limit: number) => tx.immediate(at, limit);
  };
  return (at, limit) => driver.gate.withRaw((raw) => (claim ??= prepare(raw))(at, limit));
}
