import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import type { Config } from '../../../runtime/env.ts';
import { extensions, ivrs } from '../../../db/schema/index.ts';
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

/** The organization as the Yeastar conversions ask about it. */
export function destContext(deps: YeastarDeps, orgId: string): DestContext {
  const { db, config } = deps;
  return {
    ivrNumber: (uuid) =>
      isUuid(uuid) ? (db.select({ n: ivrs.extension }).from(ivrs).where(and(eq(ivrs.orgId, orgId), eq(ivrs.id, uuid))).get()?.n ?? null) : null,
    ivrUuid: (number) => db.select({ id: ivrs.id }).from(ivrs).where(and(eq(ivrs.orgId, orgId), eq(ivrs.extension, number))).get()?.id ?? null,
    promptName: (path) => soundFileName(config, path),
    promptPath: (name) => soundFilePath(config, name),
  };
}

export function extensionNames(db: Db, orgId: string): (number: string) => string | null {
  const names = new Map(db.select({ n: extensions.number, name: extensions.name }).from(extensions).where(eq(extensions.orgId, orgId)).all().map((e) => [e.n, e.name]));
  return (number) => names.get(number) ?? null;
}

/** The IVR a Yeastar id names (its number); 404 naming `id` when there is none in the organization. */
export function requireIvrById(db: Db, orgId: string, id: number | string): IvrRow {
  const number = numberOfId(id);
  const row = number === null ? undefined : db.select().from(ivrs).where(and(eq(ivrs.orgId, orgId), eq(ivrs.extension, number))).get();
  if (!row) throw new NotFoundError(`IVR ${id} not found`, { field: 'id', value: String(id) });
  return row;
}

/** ivr/get: IVR_DetailInfo of the IVR with that id. */
export function getYeastarIvr(deps: YeastarDeps, orgId: string, id: number | string): YeastarIvr {
  const row = requireIvrById(deps.db, orgId, id);
  return toYeastarIvr(getIvrWithMenu(deps.db, orgId, row.id), destContext(deps, orgId), extensionNames(deps.db, orgId));
}

export interface YeastarListQuery {
  page?: number | undefined;
  page_size?: number | undefined;
  sort_by?: 'id' | 'number' | 'name' | undefined;
  order_by?: 'asc' | 'desc' | undefined;
}

/** ivr/list: every IVR's IVR_List entry, sorted (by id unless told), one page when `page_size` is given. */
export function listYeastarIvrs(db: Db, orgId: string, q: YeastarListQuery) {
  const rows = db.select({ extension: ivrs.extension, name: ivrs.name, policy: ivrs.directDialPolicy }).from(ivrs).where(eq(ivrs.orgId, orgId)).all();
  const all = rows.map((r) => toYeastarIvrListEntry(r.extension, r.name, r.policy as DirectDialPolicy));
  const key = q.sort_by ?? 'id';
  const sign = q.order_by === 'desc' ? -1 : 1;
  all.sort((a, b) => sign * (key === 'id' ? a.id - b.id : a[key].localeCompare(b[key])) || a.id - b.id);
  const size = q.page_size ?? all.length;
  const start = ((q.page ?? 1) - 1) * size;
  return { total_number: all.length, data: q.page_size === undefined && q.page === undefined ? all : all.slice(start, start + size) };
}
