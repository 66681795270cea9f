import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { type Db } from '../../db/client.ts';
import { ivrMenuOptions, ivrs } from '../../db/schema/index.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { toIvrDto, toMenuOptionDto, type IvrRow, type IvrWithMenuDto, type MenuOptionDto } from './dto.ts';

/** The IVR if it belongs to the organization; another org's IVR is indistinguishable from none. */
export function requireIvr(db: Db, orgId: string, id: string): IvrRow {
  const row = db.select().from(ivrs).where(and(eq(ivrs.orgId, orgId), eq(ivrs.id, id))).get();
  if (!row) throw new NotFoundError('IVR not found');
  return row;
}

/**
 * Menu options per IVR, in saved order. Options are inserted in body order inside one
 * transaction, so SQLite's rowid is that order; `order` is the position within the IVR.
 */
export function menusFor(db: Db, orgId: string, ivrIds: string[]): Map<string, MenuOptionDto[]> {
  const menus = new Map<string, MenuOptionDto[]>(ivrIds.map((id) => [id, []]));
  if (ivrIds.length === 0) return menus;
  const rows = db
    .select()
    .from(ivrMenuOptions)
    .where(and(eq(ivrMenuOptions.orgId, orgId), inArray(ivrMenuOptions.ivrId, ivrIds)))
    .orderBy(sql`rowid`)
    .all();
  for (const row of rows) {
    const list = menus.get(row.ivrId);
    if (list) list.push(toMenuOptionDto(row, list.length));
  }
  return menus;
}

export function getIvrWithMenu(db: Db, orgId: string, id: string): IvrWithMenuDto {
  const row = requireIvr(db, orgId, id);
  return { ...toIvrDto(row), menuOptions: menusFor(db, orgId, [row.id]).get(row.id) ?? [] };
}

/** Newest first, as the seed lists them. The object-by-object reference for the SQL-built GET /ivrs (createIvrListQuery). */
export function listIvrsWithMenus(db: Db, orgId: string): IvrWithMenuDto[] {
  const rows = db.select().from(ivrs).where(eq(ivrs.orgId, orgId)).orderBy(desc(ivrs.createdAt), desc(sql`rowid`)).all();
  const menus = menusFor(db, orgId, rows.map((r) => r.id));
  return rows.map((r) => ({ ...toIvrDto(r), menuOptions: menus.get(r.id) ?? [] }));
}
