import { and, eq, ne } from 'drizzle-orm';
import type { Db as AsyncDb } from '../../db/handle.ts';
import { ConflictError } from '../../domain/errors.ts';

export type NumberOwner = { type: 'ivr' | 'queue' | 'extension'; id: string; name: string };

const LABEL: Record<NumberOwner['type'], string> = { ivr: 'IVR', queue: 'queue', extension: 'user' };

/**
 * Extension numbers are one namespace per organization, shared by IVRs, queues and user extensions: a 409
 * naming the current holder of `number` (ignoring `self`, the object being updated) when it is taken.
 *
 * Call it inside the transaction that writes the number. On SQLite that transaction holds the connection, so
 * nothing else writes between the check and the write. On PostgreSQL (READ COMMITTED) the per-table unique
 * indexes do not cover the namespace across tables, so it first locks the organization's row (FOR NO KEY
 * UPDATE: inserts referencing the organization are not blocked): checks inside transactions then run one
 * organization-wide writer at a time, until commit.
 */
export async function assertNumberFree(db: AsyncDb, orgId: string, number: string, self?: { type: NumberOwner['type']; id: string }): Promise<void> {
  const { extensions: e, ivrs: i, queues: q, organizations: o } = db.t;
  if (db.driver.dialect === 'postgres') await db.select({ id: o.id }).from(o).where(eq(o.id, orgId)).for('no key update');
  const skip = (t: NumberOwner['type']) => (self?.type === t ? self.id : null);
  // One after the other: inside a transaction they share one PostgreSQL connection.
  const ivr = await db.select({ id: i.id, name: i.name }).from(i).where(and(eq(i.orgId, orgId), eq(i.extension, number), ...(skip('ivr') ? [ne(i.id, skip('ivr')!)] : []))).limit(1);
  const queue = ivr[0] ? [] : await db.select({ id: q.id, name: q.name }).from(q).where(and(eq(q.orgId, orgId), eq(q.number, number), ...(skip('queue') ? [ne(q.id, skip('queue')!)] : []))).limit(1);
  const ext = ivr[0] || queue[0] ? [] : await db.select({ id: e.id, name: e.name }).from(e).where(and(eq(e.orgId, orgId), eq(e.number, number), ...(skip('extension') ? [ne(e.id, skip('extension')!)] : []))).limit(1);
  const owner: NumberOwner | null = ivr[0] ? { type: 'ivr', ...ivr[0] } : queue[0] ? { type: 'queue', ...queue[0] } : ext[0] ? { type: 'extension', ...ext[0] } : null;
  if (owner) throw new ConflictError(`Extension ${number} is already used by ${LABEL[owner.type]} "${owner.name}"`, { ...owner, number });
}

/** The first 4-digit extension numbers try, in order: 1001 upwards, then what is left below. */
const FIRST_NUMBER = 1001;

function firstFree(used: Set<string>): string {
  for (let n = FIRST_NUMBER; n <= 9999; n += 1) if (!used.has(String(n))) return String(n);
  if (!used.has('1000')) return '1000';
  throw new ConflictError('No free 4-digit extension number is left in this organization');
}

/**
 * The smallest free number of the namespace from 1001 (then 1000, then none: a 409). Call it inside the
 * transaction that inserts the number. SQLite: nothing else writes meanwhile, so two creations cannot pick the
 * same one. PostgreSQL (READ COMMITTED): the organization's row is locked first, as assertNumberFree does, so
 * creations in one organization pick their numbers one after the other until commit (with only the unique
 * index and a retry, five agents created at once could lose the race four times running: a 500). The unique
 * index on the table's (org, number) still refuses a duplicate, and createAgent still retries on it.
 */
export async function nextFreeNumber(db: AsyncDb, orgId: string): Promise<string> {
  const { extensions: e, ivrs: i, queues: q, organizations: o } = db.t;
  if (db.driver.dialect === 'postgres') await db.select({ id: o.id }).from(o).where(eq(o.id, orgId)).for('no key update');
  // One after the other: inside a transaction they share one PostgreSQL connection.
  const used = new Set<string>();
  for (const r of await db.select({ n: i.extension }).from(i).where(eq(i.orgId, orgId))) used.add(r.n);
  for (const r of await db.select({ n: q.number }).from(q).where(eq(q.orgId, orgId))) used.add(r.n);
  for (const r of await db.select({ n: e.number }).from(e).where(eq(e.orgId, orgId))) used.add(r.n);
  return firstFree(used);
}
