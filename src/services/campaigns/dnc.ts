/** The organization's do-not-call list. The dialer checks it at dial time, so a number added later is still never dialled. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { dncNumbers } from '../../db/schema/index.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { normalizeE164 } from '../numbers/phone.ts';

export type DncRow = typeof dncNumbers.$inferSelect;

export function listDnc(db: Db, orgId: string, page: { limit: number; offset: number }): { rows: DncRow[]; total: number } {
  const rows = db.select().from(dncNumbers).where(eq(dncNumbers.orgId, orgId)).orderBy(asc(dncNumbers.number)).limit(page.limit).offset(page.offset).all();
  const total = db.select({ n: sql<number>`count(*)` }).from(dncNumbers).where(eq(dncNumbers.orgId, orgId)).get()?.n ?? 0;
  return { rows, total };
}

/** Adds numbers (normalized; already listed ones are kept as they are). */
export function addDnc(db: Db, defaultCountryCode: string, orgId: string, numbers: readonly string[], reason: string | null): { added: number; numbers: string[] } {
  const normalized = numbers.map((n, i) => {
    const e164 = normalizeE164(n, defaultCountryCode);
    if (!e164) throw new ValidationError('Invalid phone number', [{ field: `numbers.${i}`, message: 'not a valid phone number' }]);
    return e164;
  });
  let added = 0;
  for (const number of new Set(normalized)) added += db.insert(dncNumbers).values({ orgId, number, reason }).onConflictDoNothing().run().changes;
  return { added, numbers: [...new Set(normalized)] };
}

export function removeDnc(db: Db, defaultCountryCode: string, orgId: string, number: string): void {
  const e164 = normalizeE164(number, defaultCountryCode);
  const gone = e164 ? db.delete(dncNumbers).where(and(eq(dncNumbers.orgId, orgId), eq(dncNumbers.number, e164))).run().changes : 0;
  if (gone === 0) throw new NotFoundError('The number is not on the do-not-call list');
}
