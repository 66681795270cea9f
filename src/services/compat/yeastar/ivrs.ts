import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import type { Config } from '../../../runtime/env.ts';
import { isUuid, type DirectDialPolicy } from '../../../domain/destinations.ts';
import { NotFoundError } from '../../../domain/errors.ts';
import { getIvrWithMenu } from '../../ivrs/queries.ts';
import { soundFileName, soundFilePath } from '../../ivrs/sound-files.ts';
import type { IvrRow } from '../../ivrs/dto.ts';
import { numberOfId, type DestContext } from './destinations.ts';
import { toYeastarIvr, toYeastarIvrListEntry, type YeastarIvr } from './ivr-view.ts';

export interface YeastarDeps {
  db: Db;
  config: Pick<Config, 'SOUNDS_DIR' | 'DATA_DIR' | 'TTS_SAMPLE_RATE'>;
}

/**
 * The organization as the Yeastar conversions ask about it. The conversions stay synchronous and pure: the
 * organization's IVR numbers are fetched first (one query; an organization has a handful of IVRs).
 */
export async function destContext(deps: YeastarDeps, orgId: string): Promise<DestContext> {
  const { db, config } = deps;
  const { ivrs } = db.t;
  const rows = await db.select({ id: ivrs.id, n: ivrs.extension }).from(ivrs).where(eq(ivrs.orgId, orgId));
  const numberOf = new Map(rows.map((r) => [r.id, r.n]));
  const uuidOf = new Map(rows.map((r) => [r.n, r.id]));
  return {
    ivrNumber: (uuid) => (isUuid(uuid) ? (numberOf.get(uuid) ?? null) : null),
    ivrUuid: (number) => uuidOf.get(number) ?? null,
    promptName: (path) => soundFileName(config, path),
    promptPath: (name) => soundFilePath(config, name),
  };
}

export async function extensionNames(db: Db, orgId: string): Promise<(number: string) => string | null> {
  const { extensions } = db.t;
  const rows = await db.select({ n: extensions.number, name: extensions.name }).from(extensions).where(eq(extensions.orgId, orgId));
  const names = new Map(rows.map((e) => [e.n, e.name]));
  return (number) => names.get(number) ?? null;
}

/** The IVR a Yeastar id names (its number); 404 naming `id` when there is none in the organization. */
export async function requireIvrById(db: Db, orgId: string, id: number | string): Promise<IvrRow> {
  const { ivrs } = db.t;
  const number = numberOfId(id);
  const [row] = number === null ? [] : await db.select().from(ivrs).where(and(eq(ivrs.orgId, orgId), eq(ivrs.extension, number))).limit(1);
  if (!row) throw new NotFoundError(`IVR ${id} not found`, { field: 'id', value: String(id) });
  return row;
}

/** ivr/get: IVR_DetailInfo of the IVR with that id. */
export async function getYeastarIvr(deps: YeastarDeps, orgId: string, id: number | string): Promise<YeastarIvr> {
  const row = await requireIvrById(deps.db, orgId, id);
  const [ivr, ctx, names] = await Promise.all([getIvrWithMenu(deps.db, orgId, row.id), destContext(deps, orgId), extensionNames(deps.db, orgId)]);
  return toYeastarIvr(ivr, ctx, names);
}

export interface YeastarListQuery {
  page?: number | undefined;
  page_size?: number | undefined;
  sort_by?: 'id' | 'number' | 'name' | undefined;
  order_by?: 'asc' | 'desc' | undefined;
}

/** ivr/list: every IVR's IVR_List entry, sorted (by id unless told), one page when `page_size` is given. */
export async function listYeastarIvrs(db: Db, orgId: string, q: YeastarListQuery) {
  const { ivrs } = db.t;
  const rows = await db.select({ extension: ivrs.extension, name: ivrs.name, policy: ivrs.directDialPolicy }).from(ivrs).where(eq(ivrs.orgId, orgId));
  const all = rows.map((r) => toYeastarIvrListEntry(r.extension, r.name, r.policy as DirectDialPolicy));
  const key = q.sort_by ?? 'id';
  const sign = q.order_by === 'desc' ? -1 : 1;
  all.sort((a, b) => sign * (key === 'id' ? a.id - b.id : a[key].localeCompare(b[key])) || a.id - b.id);
  const size = q.page_size ?? all.length;
  const start = ((q.page ?? 1) - 1) * size;
  return { total_number: all.length, data: q.page_size === undefined && q.page === undefined ? all : all.slice(start, start + size) };
}
