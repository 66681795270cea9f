/** The organization's do-not-call list. The dialer checks it at dial time, so a number added later is still never dialled. */
import { and, asc, eq, sql } from 'drizzle-orm';
import { affectedRows, type Db, type Tables } from '../../db/handle.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { normalizeE164 } from '../numbers/phone.ts';

export type DncRow = Tables['dncNumbers']['$inferSelect'];

export async function listDnc(db: Db, orgId: string, page: { limit: number; offset: number }): Promise<{ rows: DncRow[]; total: number }> {
  const { dncNumbers } = db.t;
  const rows = await db.select().from(dncNumbers).where(eq(dncNumbers.orgId, orgId)).orderBy(asc(dncNumbers.number)).limit(page.limit).offset(page.offset);
  const [count] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(dncNumbers).where(eq(dncNumbers.orgId, orgId));
  return { rows, total: count?.n ?? 0 };
}

/** Adds numbers (normalized; already listed ones are kept as they are). */
export async function addDnc(db: Db, defaultCountryCode: string, orgId: string, numbers: readonly string[], reason: string | null): Promise<{ added: number; numbers: string[] }> {
  const { dncNumbers } = db.t;
  const normalized = numbers.map((n, i) => {
    const e164 = normalizeE164(n, defaultCountryCode);
    if (!e164) throw new ValidationError('Invalid phone number', [{ field: `numbers.${i}`, message: 'not a valid phone number' }]);
    return e164;
  });
  let added = 0;
  for (const number of new Set(normalized)) added += affectedRows(await db.insert(dncNumbers).values({ orgId, number, reason }).onConflictDoNothing());
  return { added, numbers: [...new Set(normalized)] };
}

export async function removeDnc(db: Db, defaultCountryCode: string, orgId: string, number: string): Promise<void> {
  const { dncNumbers } = db.t;
  const e164 = normalizeE164(number, defaultCountryCode);
  const gone = e164 ? affectedRows(await db.delete(dncNumbers).where(and(eq(dncNumbers.orgId, orgId), eq(dncNumbers.number, e164)))) : 0;
  if (gone === 0) throw new NotFoundError('The number is not on the do-not-call list');
}
