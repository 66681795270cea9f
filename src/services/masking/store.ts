/**
 * Masking sessions. The real pair lives only in an active row; ending a session (hangup, cancel or
 * expiry) nulls both numbers in the same statement, leaving the masked forms for the logs.
 */
import { and, eq, lte } from 'drizzle-orm';
import { affectedRows, type Db as AsyncDb } from '../../db/handle.ts';
import type { maskingSessions } from '../../db/schema/index.ts';

export type MaskingRow = typeof maskingSessions.$inferSelect;

export async function maskingNumbers(db: AsyncDb, id: string): Promise<{ first: string; second: string } | null> {
  const { maskingSessions: m } = db.t;
  const [row] = await db.select().from(m).where(and(eq(m.id, id), eq(m.status, 'active'))).limit(1);
  if (!row?.firstPhone || !row.secondPhone) return null;
  return { first: row.firstPhone, second: row.secondPhone };
}

/** Ends an active session and forgets the pair; false if it was not active. One conditional UPDATE, so only one ender wins on either database. */
export async function endMaskingSession(db: AsyncDb, id: string, status: 'ended' | 'cancelled' | 'expired', at: string): Promise<boolean> {
  const { maskingSessions: m } = db.t;
  return affectedRows(await db.update(m)
    .set({ status, endedAt: at, firstPhone: null, secondPhone: null, updatedAt: at })
    .where(and(eq(m.id, id), eq(m.status, 'active')))) === 1;
}

export async function expiredSessions(db: AsyncDb, nowIso: string): Promise<MaskingRow[]> {
  const { maskingSessions: m } = db.t;
  return db.select().from(m).where(and(eq(m.status, 'active'), lte(m.expiresAt, nowIso)));
}
