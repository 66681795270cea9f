import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { extensions, ivrs, queues } from '../../db/schema/index.ts';

export type NumberOwner = { type: 'ivr' | 'queue' | 'extension'; id: string; name: string };

/**
 * Extension numbers are one namespace per organization, shared by IVRs, queues and
 * user extensions. Returns the current holder of `number`, ignoring `except` (the object
 * being updated), or null when it is free.
 */
export function findNumberOwner(db: Db, orgId: string, number: string, except?: { type: NumberOwner['type']; id: string }): NumberOwner | null {
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

/** The seed's wording: `Extension 7001 is already used by IVR "Main Menu"`. */
export function numberTakenMessage(number: string, owner: NumberOwner): string {
  return `Extension ${number} is already used by ${LABEL[owner.type]} "${owner.name}"`;
}
