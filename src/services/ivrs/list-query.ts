import { createHash } from 'node:crypto';
import { getTableColumns } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { sqliteOf, type Db } from '../../db/client.ts';
import { ivrMenuOptions, ivrs } from '../../db/schema/index.ts';
import { IVR_FIELDS, MENU_OPTION_FIELDS } from './dto.ts';

/** How many organizations' rendered lists one app keeps (about 0.6 KB per IVR each). */
const CACHE_MAX_ORGS = 512;

/**
 * `'field', value` pairs for json_object from a response field map (dto.ts): booleans as JSON booleans,
 * JSON columns as JSON, and `position` (SQL) for the field that is no column.
 */
function jsonFields(fields: Record<string, string | null>, columns: Record<string, SQLiteColumn>, alias: string, position = 'null'): string {
  return Object.entries(fields).map(([field, key]) => {
    if (key === null) return `'${field}', ${position}`;
    const column = columns[key]!;
    const ref = `${alias}.${column.name}`;
    const value = column.dataType === 'boolean' ? `json(case when ${ref} then 'true' else 'false' end)` : column.dataType === 'json' ? `json(${ref})` : ref;
    return `'${field}', ${value}`;
  }).join(', ');
}

// ORDER BY inside the aggregates (SQLite ≥ 3.44) keeps json_object's JSON subtype: no re-parsing.
// A menu option's `order`: how many options of its IVR were saved before it (rowid order, as menusFor reads them).
const LIST_SQL = `
    select coalesce(json_group_array(json_object(
        ${jsonFields(IVR_FIELDS, getTableColumns(ivrs), 'i')},
        'menuOptions', (
          select coalesce(json_group_array(json_object(
              ${jsonFields(MENU_OPTION_FIELDS, getTableColumns(ivrMenuOptions), 'm', '(select count(*) from ivr_menu_options m2 where m2.ivr_id = m.ivr_id and m2.rowid < m.rowid)')}
            ) order by m.rowid), json('[]'))
          from ivr_menu_options m where m.ivr_id = i.id and m.org_id = i.org_id
        )
      ) order by i.created_at desc, i.rowid desc), '[]') as body
    from ivrs i where i.org_id = ?`;

/** The rendered GET /ivrs body of one organization at one revision, with its validator. */
export interface IvrList {
  readonly body: Uint8Array<ArrayBuffer>;
  /** Weak ETag: organization, revision and response format; a client's If-None-Match is compared to it. */
  readonly etag: string;
}

/**
 * GET /ivrs, the hot read. SQLite builds the response JSON in ONE prepared statement (the same shape
 * as listIvrsWithMenus: IvrDto + menuOptions), and the bytes are kept per organization with the
 * organization's 'ivrs' revision, which triggers bump on every write to ivrs or ivr_menu_options
 * (db/migrations/0004_revisions.sql). A request reads that one integer and, when unchanged, serves
 * the kept bytes. The revision lives in the database, so a write made by another instance sharing
 * it invalidates this one's copy too. The revision is read before the body: a write landing in
 * between leaves a body newer than its revision, which the next request simply rebuilds.
 * (PostgreSQL has json_build_object/json_agg and plpgsql triggers for the same design.)
 */
export function createIvrListQuery(db: Db): (orgId: string) => IvrList {
  const raw = sqliteOf(db);
  const list = raw.prepare(LIST_SQL).pluck();
  const revision = raw.prepare(`select rev from org_revisions where org_id = ? and resource = 'ivrs'`).pluck();
  // The format token changes whenever the SQL (the response shape) does, so clients revalidate after an upgrade.
  const format = createHash('sha256').update(LIST_SQL).digest('base64url').slice(0, 8);
  const cache = new Map<string, { rev: number; list: IvrList }>();
  return (orgId) => {
    const rev = (revision.get(orgId) as number | undefined) ?? 0;
    const hit = cache.get(orgId);
    if (hit && hit.rev === rev) return hit.list;
    const built: IvrList = { body: Buffer.from(list.get(orgId) as string), etag: `W/"${orgId}.${rev}.${format}"` };
    if (hit) cache.delete(orgId);
    else if (cache.size >= CACHE_MAX_ORGS) cache.delete(cache.keys().next().value as string);
    cache.set(orgId, { rev, list: built });
    return built;
  };
}
