import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { getTableColumns, type Column } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { ivrMenuOptions, ivrs } from '../../db/schema/index.ts';
import { IVR_FIELDS, MENU_OPTION_FIELDS } from './dto.ts';

/** How many organizations' rendered lists one app keeps (about 0.6 KB per IVR each). */
const CACHE_MAX_ORGS = 512;

/**
 * `'field', value` pairs for json_object from a response field map (dto.ts): booleans as JSON booleans,
 * JSON columns as JSON, and `position` (SQL) for the field that is no column.
 */
function jsonFields(fields: Record<string, string | null>, columns: Record<string, Column>, alias: string, position = 'null'): string {
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
const SQLITE_LIST_SQL = `
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

/**
 * The same on PostgreSQL: json_build_object keeps the field order (jsonb would sort it); booleans and
 * jsonb columns are JSON already; `seq` is the insertion order (db/migrations-pg/0001_extras.sql).
 */
function pgFields(fields: Record<string, string | null>, columns: Record<string, Column>, alias: string, position = 'null'): string {
  return Object.entries(fields).map(([field, key]) => `'${field}', ${key === null ? position : `${alias}."${columns[key]!.name}"`}`).join(', ');
}
const PG_LIST_SQL = `
    select coalesce(json_agg(json_build_object(
        ${pgFields(IVR_FIELDS, getTableColumns(ivrs), 'i')},
        'menuOptions', (
          select coalesce(json_agg(json_build_object(
              ${pgFields(MENU_OPTION_FIELDS, getTableColumns(ivrMenuOptions), 'm', '(select count(*) from ivr_menu_options m2 where m2.ivr_id = m.ivr_id and m2.seq < m.seq)')}
            ) order by m.seq), '[]'::json)
          from ivr_menu_options m where m.ivr_id = i.id and m.org_id = i.org_id
        )
      ) order by i.created_at desc, i.seq desc), '[]'::json)::text as body
    from ivrs i where i.org_id = $1`;
const PG_REVISION_SQL = `select rev from org_revisions where org_id = $1 and resource = 'ivrs'`;

/** The rendered GET /ivrs body of one organization at one revision, with its validator. */
export interface IvrList {
  readonly body: Uint8Array<ArrayBuffer>;
  /** Weak ETag: organization, revision and response format; a client's If-None-Match is compared to it. */
  readonly etag: string;
}

type Statement = Database.Statement;

/** The two statements behind the list, on this handle's database. */
interface ListStatements {
  sql: string;
  revision(orgId: string): Promise<number | undefined>;
  body(orgId: string): Promise<string>;
}

function listStatements(db: Db): ListStatements {
  const { driver } = db;
  if (driver.dialect === 'sqlite') {
    // Prepared once, on first use, in the connection's turn.
    let prepared: { list: Statement; revision: Statement } | undefined;
    const stmts = (raw: Database.Database) => (prepared ??= {
      list: raw.prepare(SQLITE_LIST_SQL).pluck(),
      revision: raw.prepare(`select rev from org_revisions where org_id = ? and resource = 'ivrs'`).pluck(),
    });
    return {
      sql: SQLITE_LIST_SQL,
      revision: (orgId) => driver.gate.withRaw((raw) => stmts(raw).revision.get(orgId) as number | undefined),
      body: (orgId) => driver.gate.withRaw((raw) => stmts(raw).list.get(orgId) as string),
    };
  }
  return {
    sql: PG_LIST_SQL,
    revision: async (orgId) => {
      const r = await driver.pool.query<{ rev: string }>({ name: 'ivrs_revision', text: PG_REVISION_SQL, values: [orgId] });
      return r.rows[0] ? Number(r.rows[0].rev) : undefined;
    },
    body: async (orgId) => (await driver.pool.query<{ body: string }>({ name: 'ivrs_list', text: PG_LIST_SQL, values: [orgId] })).rows[0]!.body,
  };
}

/**
 * GET /ivrs, the hot read. The database builds the response JSON in ONE statement (the same shape
 * as listIvrsWithMenus: IvrDto + menuOptions), and the bytes are kept per organization with the
 * organization's 'ivrs' revision, which triggers bump on every write to ivrs or ivr_menu_options
 * (db/migrations/0004_revisions.sql). A request reads that one integer and, when unchanged, serves
 * the kept bytes. The revision lives in the database, so a write made by another instance sharing
 * it invalidates this one's copy too. The revision is read before the body: a write landing in
 * between leaves a body newer than its revision, which the next request simply rebuilds.
 * (PostgreSQL: json_build_object/json_agg, and plpgsql triggers bump the same revisions.)
 */
export function createIvrListQuery(db: Db): (orgId: string) => Promise<IvrList> {
  const q = listStatements(db);
  // The format token changes whenever the SQL (the response shape) does, so clients revalidate after an upgrade.
  const format = createHash('sha256').update(q.sql).digest('base64url').slice(0, 8);
  const cache = new Map<string, { rev: number; list: IvrList }>();
  return async (orgId) => {
    const rev = (await q.revision(orgId)) ?? 0;
    const hit = cache.get(orgId);
    if (hit && hit.rev === rev) return hit.list;
    const built: IvrList = { body: Buffer.from(await q.body(orgId)), etag: `W/"${orgId}.${rev}.${format}"` };
    if (hit) cache.delete(orgId);
    else if (cache.size >= CACHE_MAX_ORGS) cache.delete(cache.keys().next().value as string);
    cache.set(orgId, { rev, list: built });
    return built;
  };
}
