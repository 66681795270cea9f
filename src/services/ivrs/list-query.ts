import { createHash } from 'node:crypto';
import { sqliteOf, type Db } from '../../db/client.ts';

const BOOL = (col: string) => `json(case when ${col} then 'true' else 'false' end)`;

/** How many organizations' rendered lists one app keeps (about 0.6 KB per IVR each). */
const CACHE_MAX_ORGS = 512;

// ORDER BY inside the aggregates (SQLite ≥ 3.44) keeps json_object's JSON subtype: no re-parsing.
const LIST_SQL = `
    select coalesce(json_group_array(json_object(
        'id', i.id, 'org_id', i.org_id, 'name', i.name, 'extension', i.extension, 'description', i.description,
        'greeting_prompt', i.greeting_prompt, 'greeting_text', i.greeting_text,
        'greeting_language', i.greeting_language, 'greeting_voice', i.greeting_voice,
        'timeout', i.timeout, 'inter_digit_timeout', i.inter_digit_timeout, 'max_retries', i.max_retries,
        'timeout_retries', i.timeout_retries, 'invalid_retries', i.invalid_retries,
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
