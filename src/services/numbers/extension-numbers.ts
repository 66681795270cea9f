import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Db as AsyncDb } from '../../db/handle.ts';
import { extensions, ivrs, queues } from '../../db/schema/index.ts';
import { ConflictError } from '../../domain/errors.ts';

export type NumberOwner = { type: 'ivr' | 'queue' | 'extension'; id: string; name: string };

/**
 * Extension numbers are one namespace per organization, shared by IVRs, queues and
 * user extensions. Returns the current holder of `number`, ignoring `except` (the object
 * being updated), or null when it is free.
 */
function findNumberOwner(db: Db, orgId: string, number: string, except?: { type: NumberOwner['type']; id: string }): NumberOwner | null {
  const skip = (t: NumberOwner['type']) => (except?.type === t ? except.id : null);
  const ivr = db.select({ id: ivrs.id, name: ivrs.name }).from(ivrs)
    .where(and(eq(ivrs.orgId, orgId), eq(ivrs.extension, number), ...(skip('ivr') ? [ne(ivrs.id, skip('ivr')!)] : []))).get();
  if (ivr) return { type: 'ivr', ...ivr };
  const queue = db.select({ id: queues.id, name: queues.name }).from(queues)
    .where(and(eq(queues.orgId, orgId), eq(queues.number, number), ...(skip('queue') ? [ne(queues.id, skip('queue')!)] : []))).get();
  if (queue) return { type: 'queue', ...queue };
  const ext = db.select({ id: extensions.id, name: extensions.name }).from(extensions)
    .where(and(eq(extensions.orgId, orgId), eq(extensions.number, number), ...(skip('extension') ? [ne(extensions.id, skip('extension')!)] : []))).get();
  if (ext) return { type: 'extension', ...ext };
  return null;
}

const LABEL: Record<NumberOwner['type'], string> = { ivr: 'IVR', queue: 'queue', extension: 'user' };

/**
 * Throws ConflictError (409) when `number` is held by an IVR, a queue or a user extension of the
 * organization other than `self` (the object being updated). The message is the seed's wording,
 * `Extension 7001 is already used by IVR "Main Menu"`; `details.conflict` names the holder and the number.
 */
export function assertNumberFree(db: Db, orgId: string, number: string, self?: { type: NumberOwner['type']; id: string }): void {
  const owner = findNumberOwner(db, orgId, number, self);
  if (owner) throw new ConflictError(`Extension ${number} is already used by ${LABEL[owner.type]} "${owner.name}"`, { ...owner, number });
}

/**
 * assertNumberFree on the async handle. Transitional twin (docs/pg/PG-PLAN.md): when the last synchronous
 * caller (human agents) is converted, the synchronous one goes and this takes its name.
 *
 * Call it inside the transaction that writes the number. On SQLite that transaction holds the connection, so
 * nothing else writes between the check and the write. On PostgreSQL (READ COMMITTED) the per-table unique
 * indexes do not cover the namespace across tables, so it first locks the organization's row (FOR NO KEY
 * UPDATE: inserts referencing the organization are not blocked): checks inside transactions then run one
 * organization-wide writer at a time, until commit.
 */
export async function assertNumberFreeAsync(db: AsyncDb, orgId: string, number: string, self?: { type: NumberOwner['type']; id: string }): Promise<void> {
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
 * same one. PostgreSQL (READ COMMITTED): they can; the unique index on the table's (org, number) refuses the
 * second, and the caller runs its transaction again (human agents' createAgent does).
 */
export async function nextFreeNumber(db: AsyncDb, orgId: string): Promise<string> {
  const { extensions: e, ivrs: i, queues: q } = db.t;
  // One after the other: inside a transaction they share one PostgreSQL connection.
  const used = new Set<string>();
  for (const r of await db.select({ n: i.extension }).from(i).where(eq(i.orgId, orgId))) used.add(r.n);
  for (const r of await db.select({ n: q.number }).from(q).where(eq(q.orgId, orgId))) used.add(r.n);
  for (const r of await db.select({ n: e.number }).from(e).where(eq(e.orgId, orgId))) used.add(r.n);
  return firstFree(used);
}
