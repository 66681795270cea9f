/** Dispositions: the organization's call statuses, chosen when a note is written on a call. */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { dispositions } from '../../db/schema/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';

export const DEFAULT_DISPOSITIONS = [
  'Interested', 'Not Interested', 'Call Back Later', 'Wrong Number', 'DND', 'Converted', 'Follow Up Required',
] as const;

export type DispositionRow = typeof dispositions.$inferSelect;
type Row = DispositionRow;

/** The org's list, seeded with the defaults the first time it is read while empty. */
export function listDispositions(db: Db, orgId: string): Row[] {
  const read = () => db.select().from(dispositions).where(eq(dispositions.orgId, orgId)).orderBy(asc(dispositions.createdAt), asc(dispositions.name)).all();
  let rows = read();
  if (rows.length === 0) {
    const at = Date.now();
    db.insert(dispositions)
      .values(DEFAULT_DISPOSITIONS.map((name, i) => ({ orgId, name, createdAt: new Date(at + i).toISOString() })))
      .onConflictDoNothing()
      .run();
    rows = read();
  }
  return rows;
}

function findDisposition(db: Db, orgId: string, id: string): Row {
  const row = db.select().from(dispositions).where(and(eq(dispositions.id, id), eq(dispositions.orgId, orgId))).get();
  if (!row) throw new NotFoundError('Disposition not found');
  return row;
}

function assertNameFree(db: Db, orgId: string, name: string, exceptId?: string): void {
  listDispositions(db, orgId);
  const clash = db.select().from(dispositions).where(and(eq(dispositions.orgId, orgId), eq(dispositions.name, name))).get();
  if (clash && clash.id !== exceptId) throw new ConflictError(`Disposition "${name}" already exists`, { type: 'disposition', id: clash.id });
}

export function createDisposition(db: Db, orgId: string, name: string): Row {
  assertNameFree(db, orgId, name);
  return db.insert(dispositions).values({ orgId, name }).returning().get();
}

/** Renames a disposition; notes keep the name they were written with. */
export function renameDisposition(db: Db, orgId: string, id: string, name: string): Row {
  findDisposition(db, orgId, id);
  assertNameFree(db, orgId, name, id);
  return db.update(dispositions).set({ name }).where(and(eq(dispositions.id, id), eq(dispositions.orgId, orgId))).returning().get()!;
}

export function deleteDisposition(db: Db, orgId: string, id: string): void {
  findDisposition(db, orgId, id);
  db.delete(dispositions).where(and(eq(dispositions.id, id), eq(dispositions.orgId, orgId))).run();
}

/** Resolves a note's disposition (by id or by name) within the org; an unknown one is a 400 naming the field. */
export function resolveDisposition(db: Db, orgId: string, input: { disposition_id?: string; disposition?: string }): Row | null {
  if (input.disposition_id === undefined && input.disposition === undefined) return null;
  const rows = listDispositions(db, orgId);
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
