import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
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
