/** Callback requests left by callers (the IVR's `callback` action writes them; the API lists and closes them). */
import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { callbackRequests } from '../../db/schema/index.ts';
import { NotFoundError } from '../../domain/errors.ts';

export const CALLBACK_STATUSES = ['pending', 'done', 'cancelled'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

export type CallbackRow = typeof callbackRequests.$inferSelect;

/** A page of the org's requests, newest first; `total` counts every match. */
export function listCallbacks(
  db: Db,
  orgId: string,
  q: { status?: CallbackStatus | undefined; limit: number; offset: number },
): { rows: CallbackRow[]; total: number } {
  const where = and(eq(callbackRequests.orgId, orgId), q.status ? eq(callbackRequests.status, q.status) : undefined);
  const rows = db.select().from(callbackRequests).where(where)
    .orderBy(desc(callbackRequests.createdAt), desc(sql`rowid`)).limit(q.limit).offset(q.offset).all();
  const total = db.select({ n: count() }).from(callbackRequests).where(where).get()?.n ?? 0;
  return { rows, total };
}

export function setCallbackStatus(db: Db, orgId: string, id: string, status: CallbackStatus): CallbackRow {
  const row = db.update(callbackRequests).set({ status })
    .where(and(eq(callbackRequests.id, id), eq(callbackRequests.orgId, orgId))).returning().get();
  if (!row) throw new NotFoundError('Callback request not found');
  return row;
}
