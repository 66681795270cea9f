import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { sqliteOf, type Db } from '../db/client.ts';
import { ivrMenuOptions, ivrs } from '../db/schema/index.ts';
import { NotFoundError } from '../api/errors.ts';
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

const BOOL = (col: string) => `json(case when ${col} then 'true' else 'false' end)`;

/**
 * GET /ivrs, the hot read, as ONE prepared statement in which SQLite builds the response JSON
 * (the same shape as listIvrsWithMenus: IvrDto + menuOptions). No row mapping, DTO objects or
 * JSON.stringify in JavaScript. (PostgreSQL has json_build_object/json_agg for the same query.)
 */
export function createIvrListQuery(db: Db): (orgId: string) => string {
  // ORDER BY inside the aggregates (SQLite ≥ 3.44) keeps json_object's JSON subtype: no re-parsing.
  const stmt = sqliteOf(db).prepare(`
    select coalesce(json_group_array(json_object(
        'id', i.id, 'org_id', i.org_id, 'name', i.name, 'extension', i.extension, 'description', i.description,
        'greeting_prompt', i.greeting_prompt, 'greeting_text', i.greeting_text,
        'greeting_language', i.greeting_language, 'greeting_voice', i.greeting_voice,
        'timeout', i.timeout, 'inter_digit_timeout', i.inter_digit_timeout, 'max_retries', i.max_retries,
        'enable_direct_dial', ${BOOL('i.enable_direct_dial')}, 'direct_dial_policy', i.direct_dial_policy,
        'direct_dial_list', json(i.direct_dial_list), 'timeout_prompt', i.timeout_prompt, 'invalid_prompt', i.invalid_prompt,
        'timeout_destination', json(i.timeout_destination), 'invalid_destination', json(i.invalid_destination),
        'status', i.status, 'createdAt', i.created_at, 'updatedAt', i.updated_at,
        'menuOptions', (
          select coalesce(json_group_array(json_object(
              'id', m.id, 'ivr_id', m.ivr_id, 'digit', m.digit, 'action_type', m.action_type,
              'action_destination', m.destination, 'description', m.description,
              'order', (select count(*) from ivr_menu_options m2 where m2.ivr_id = m.ivr_id and m2.rowid < m.rowid),
              'createdAt', m.created_at, 'updatedAt', m.updated_at) order by m.rowid), json('[]'))
          from ivr_menu_options m where m.ivr_id = i.id and m.org_id = i.org_id
        )
      ) order by i.created_at desc, i.rowid desc), '[]') as body
    from ivrs i where i.org_id = ?`);
  return (orgId) => (stmt.get(orgId) as { body: string }).body;
}
