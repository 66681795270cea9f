/**
 * Masking sessions. The real pair lives only in an active row; ending a session (hangup, cancel or
 * expiry) nulls both numbers in the same statement, leaving the masked forms for the logs.
 */
import { and, eq, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { affectedRows, type Db as AsyncDb } from '../../db/handle.ts';
import { maskingSessions } from '../../db/schema/index.ts';

export type MaskingRow = typeof maskingSessions.$inferSelect;

export function maskingNumbers(db: Db, id: string): { first: string; second: string } | null {
  const row = db.select().from(maskingSessions).where(and(eq(maskingSessions.id, id), eq(maskingSessions.status, 'active'))).get();
  if (!row?.firstPhone || !row.secondPhone) return null;
  return { first: row.firstPhone, second: row.secondPhone };
}

/** Ends an active session and forgets the pair; false if it was not active. */
export function endMaskingSession(db: Db, id: string, status: 'ended' | 'cancelled' | 'expired', at: string): boolean {
  return db.update(maskingSessions)
    .set({ status, endedAt: at, firstPhone: null, secondPhone: null, updatedAt: at })
    .where(and(eq(maskingSessions.id, id), eq(maskingSessions.status, 'active')))
    .run().changes === 1;
}

export function expiredSessions(db: Db, nowIso: string): MaskingRow[] {
  return db.select().from(maskingSessions)
    .where(and(eq(maskingSessions.status, 'active'), lte(maskingSessions.expiresAt, nowIso))).all();
}

// Async twins for the placed-call code (call control, scheduler); the masking area converts the rest.

export async function maskingNumbersAsync(db: AsyncDb, id: string): Promise<{ first: string; second: string } | null> {
  const { maskingSessions } = db.t;
  const [row] = await db.select().from(maskingSessions).where(and(eq(maskingSessions.id, id), eq(maskingSessions.status, 'active'))).limit(1);
  if (!row?.firstPhone || !row.secondPhone) return null;
  return { first: row.firstPhone, second: row.secondPhone };
}

/** endMaskingSession on the async handle: one conditional UPDATE, so one caller ends it. */
export async function endMaskingSessionAsync(db: AsyncDb, id: string, status: 'ended' | 'cancelled' | 'expired', at: string): Promise<boolean> {
  const { maskingSessions } = db.t;
  return affectedRows(await db.update(maskingSessions)
    .set({ status, endedAt: at, firstPhone: null, secondPhone: null, updatedAt: at })
    .where(and(eq(maskingSessions.id, id), eq(maskingSessions.status, 'active')))) === 1;
}

export async function expiredSessionsAsync(db: AsyncDb, nowIso: string): Promise<MaskingRow[]> {
  const { maskingSessions } = db.t;
  return db.select().from(maskingSessions).where(and(eq(maskingSessions.status, 'active'), lte(maskingSessions.expiresAt, nowIso)));
}
