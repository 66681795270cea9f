/**
 * TRANSITIONAL: the async resolution of a note's disposition, for addNoteAsync. The dispositions service is
 * being converted on another branch (PG-PLAN.md step 1), which adds `resolveDispositionAsync` with this same
 * signature to src/services/dispositions/disposition-service.ts; when both are merged, import that one and
 * delete this file. Same rules as `resolveDisposition` (the list is seeded with the defaults when empty).
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db, Tables } from '../../db/handle.ts';
import { ValidationError } from '../../domain/errors.ts';
import { DEFAULT_DISPOSITIONS } from '../dispositions/disposition-service.ts';

type Row = Tables['dispositions']['$inferSelect'];

async function listDispositions(db: Db, orgId: string): Promise<Row[]> {
  const { dispositions } = db.t;
  const read = () => db.select().from(dispositions).where(eq(dispositions.orgId, orgId)).orderBy(asc(dispositions.createdAt), asc(dispositions.name));
  let rows = await read();
  if (rows.length === 0) {
    const at = Date.now();
    await db.insert(dispositions)
      .values(DEFAULT_DISPOSITIONS.map((name, i) => ({ orgId, name, createdAt: new Date(at + i).toISOString() })))
      .onConflictDoNothing();
    rows = await read();
  }
  return rows;
}

export async function resolveDispositionAsync(db: Db, orgId: string, input: { disposition_id?: string; disposition?: string }): Promise<Row | null> {
  if (input.disposition_id === undefined && input.disposition === undefined) return null;
  const rows = await listDispositions(db, orgId);
  if (input.disposition_id !== undefined) {
    const row = rows.find((r) => r.id === input.disposition_id);
    if (!row) throw new ValidationError('Unknown disposition_id', [{ field: 'disposition_id', message: 'not a disposition of this organization' }]);
    return row;
  }
  const name = input.disposition!.trim().toLowerCase();
  const row = rows.find((r) => r.name.toLowerCase() === name);
  if (!row) throw new ValidationError(`Unknown disposition "${input.disposition}"`, [{ field: 'disposition', message: 'not a disposition of this organization' }]);
  return row;
}
