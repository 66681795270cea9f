import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { insertionOrder } from '../../db/order.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { toIvrDto, toMenuOptionDto, type IvrRow, type IvrWithMenuDto, type MenuOptionDto } from './dto.ts';

/** The IVR if it belongs to the organization; another org's IVR is indistinguishable from none. */
export async function requireIvr(db: Db, orgId: string, id: string): Promise<IvrRow> {
  const { ivrs } = db.t;
  const [row] = await db.select().from(ivrs).where(and(eq(ivrs.orgId, orgId), eq(ivrs.id, id))).limit(1);
  if (!row) throw new NotFoundError('IVR not found');
  return row;
}

/**
 * Menu options per IVR, in saved order. Options are inserted in body order inside one
 * transaction, so insertion order (src/db/order.ts) is that order; `order` is the position within the IVR.
 */
export async function menusFor(db: Db, orgId: string, ivrIds: string[]): Promise<Map<string, MenuOptionDto[]>> {
  const { ivrMenuOptions } = db.t;
  const menus = new Map<string, MenuOptionDto[]>(ivrIds.map((id) => [id, []]));
  if (ivrIds.length === 0) return menus;
  const rows = await db
    .select()
    .from(ivrMenuOptions)
    .where(and(eq(ivrMenuOptions.orgId, orgId), inArray(ivrMenuOptions.ivrId, ivrIds)))
    .orderBy(insertionOrder(db, ivrMenuOptions));
  for (const row of rows) {
    const list = menus.get(row.ivrId);
    if (list) list.push(toMenuOptionDto(row, list.length));
  }
  return menus;
}

export async function getIvrWithMenu(db: Db, orgId: string, id: string): Promise<IvrWithMenuDto> {
  const row = await requireIvr(db, orgId, id);
  return { ...toIvrDto(row), menuOptions: (await menusFor(db, orgId, [row.id])).get(row.id) ?? [] };
}

/** Newest first, as the seed lists them. The object-by-object reference for the SQL-built GET /ivrs (createIvrListQuery). */
export async function listIvrsWithMenus(db: Db, orgId: string): Promise<IvrWithMenuDto[]> {
  const { ivrs } = db.t;
  const rows = await db.select().from(ivrs).where(eq(ivrs.orgId, orgId)).orderBy(desc(ivrs.createdAt), desc(insertionOrder(db, ivrs)));
  const menus = await menusFor(db, orgId, rows.map((r) => r.id));
  return rows.map((r) => ({ ...toIvrDto(r), menuOptions: menus.get(r.id) ?? [] }));
}
