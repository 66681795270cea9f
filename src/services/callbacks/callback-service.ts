/** Callback requests left by callers (the IVR's `callback` action writes them; the API lists and closes them). */
import { and, count, desc, eq } from 'drizzle-orm';
import type { Db, Tables } from '../../db/handle.ts';
import { insertionOrder } from '../../db/order.ts';
import { NotFoundError } from '../../domain/errors.ts';

export const CALLBACK_STATUSES = ['pending', 'done', 'cancelled'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

export type CallbackRow = Tables['callbackRequests']['$inferSelect'];

/** A page of the org's requests, newest first; `total` counts every match. */
export async function listCallbacks(
  db: Db,
  orgId: string,
  q: { status?: CallbackStatus | undefined; limit: number; offset: number },
): Promise<{ rows: CallbackRow[]; total: number }> {
  const { callbackRequests } = db.t;
  const where = and(eq(callbackRequests.orgId, orgId), q.status ? eq(callbackRequests.status, q.status) : undefined);
  const rows = await db.select().from(callbackRequests).where(where)
    .orderBy(desc(callbackRequests.createdAt), desc(insertionOrder(db, callbackRequests))).limit(q.limit).offset(q.offset);
  const [counted] = await db.select({ n: count() }).from(callbackRequests).where(where);
  return { rows, total: counted?.n ?? 0 };
}

export async function setCallbackStatus(db: Db, orgId: string, id: string, status: CallbackStatus): Promise<CallbackRow> {
  const { callbackRequests } = db.t;
  const [row] = await db.update(callbackRequests).set({ status })
    .where(and(eq(callbackRequests.id, id), eq(callbackRequests.orgId, orgId))).returning();
  if (!row) throw new NotFoundError('Callback request not found');
  return row;
}
