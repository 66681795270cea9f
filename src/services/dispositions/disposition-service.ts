/** Dispositions: the organization's call statuses, chosen when a note is written on a call. */
import { and, asc, eq } from 'drizzle-orm';
import type { Db, Tables } from '../../db/handle.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';

export const DEFAULT_DISPOSITIONS = [
  'Interested', 'Not Interested', 'Call Back Later', 'Wrong Number', 'DND', 'Converted', 'Follow Up Required',
] as const;

export type DispositionRow = Tables['dispositions']['$inferSelect'];
type Row = DispositionRow;

/** The defaults as rows, one millisecond apart so they list in this order. */
const defaultRows = (orgId: string) => {
  const at = Date.now();
  return DEFAULT_DISPOSITIONS.map((name, i) => ({ orgId, name, createdAt: new Date(at + i).toISOString() }));
};

/** The org's list, seeded with the defaults the first time it is read while empty. */
export async function listDispositions(db: Db, orgId: string): Promise<Row[]> {
  const { dispositions } = db.t;
  const read = () => db.select().from(dispositions).where(eq(dispositions.orgId, orgId)).orderBy(asc(dispositions.createdAt), asc(dispositions.name));
  let rows = await read();
  if (rows.length === 0) {
    await db.insert(dispositions).values(defaultRows(orgId)).onConflictDoNothing();
    rows = await read();
  }
  return rows;
}

async function findDisposition(db: Db, orgId: string, id: string): Promise<Row> {
  const { dispositions } = db.t;
  const [row] = await db.select().from(dispositions).where(and(eq(dispositions.id, id), eq(dispositions.orgId, orgId))).limit(1);
  if (!row) throw new NotFoundError('Disposition not found');
  return row;
}

async function assertNameFree(db: Db, orgId: string, name: string, exceptId?: string): Promise<void> {
  const { dispositions } = db.t;
  await listDispositions(db, orgId);
  const [clash] = await db.select().from(dispositions).where(and(eq(dispositions.orgId, orgId), eq(dispositions.name, name))).limit(1);
  if (clash && clash.id !== exceptId) throw new ConflictError(`Disposition "${name}" already exists`, { type: 'disposition', id: clash.id });
}

export async function createDisposition(db: Db, orgId: string, name: string): Promise<Row> {
  await assertNameFree(db, orgId, name);
  const [row] = await db.insert(db.t.dispositions).values({ orgId, name }).returning();
  return row!;
}

/** Renames a disposition; notes keep the name they were written with. */
export async function renameDisposition(db: Db, orgId: string, id: string, name: string): Promise<Row> {
  const { dispositions } = db.t;
  await findDisposition(db, orgId, id);
  await assertNameFree(db, orgId, name, id);
  const [row] = await db.update(dispositions).set({ name }).where(and(eq(dispositions.id, id), eq(dispositions.orgId, orgId))).returning();
  return row ?? (await findDisposition(db, orgId, id));
}

export async function deleteDisposition(db: Db, orgId: string, id: string): Promise<void> {
  const { dispositions } = db.t;
  await findDisposition(db, orgId, id);
  await db.delete(dispositions).where(and(eq(dispositions.id, id), eq(dispositions.orgId, orgId)));
}

/** A note's disposition (by id or by name) among the org's `rows`; an unknown one is a 400 naming the field. */
function pickDisposition(rows: Row[], input: { disposition_id?: string; disposition?: string }): Row {
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

/** Resolves a note's disposition (by id or by name) within the org; an unknown one is a 400 naming the field. */
export async function resolveDisposition(db: Db, orgId: string, input: { disposition_id?: string; disposition?: string }): Promise<Row | null> {
  if (input.disposition_id === undefined && input.disposition === undefined) return null;
  return pickDisposition(await listDispositions(db, orgId), input);
}

