import { sqliteOf, type Db } from '../../db/client.ts';
import type { Db as AsyncDb } from '../../db/handle.ts';
import { NotFoundError } from '../../domain/errors.ts';

/** Call types as the API names them; `call_logs.direction` holds them (inbound rows say 'inbound'). */
export const CALL_TYPES = ['inbound', 'click_to_call', 'two_party', 'masking', 'dialer'] as const;
export type CallType = (typeof CALL_TYPES)[number];

export interface CallLogRow {
  rowid: number;
  id: string;
  call_uuid: string;
  /** The switch that has (had) the channel; null when unknown. */
  switch_id: string | null;
  direction: string;
  did: string | null;
  caller: string | null;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  duration_s: number | null;
  path: string;
  dtmf: string;
  disposition: string | null;
  left_at: string | null;
  answered_by: string | null;
  hangup_cause: string | null;
  contact_id: string | null;
  contact_name: string | null;
  /** JSON object, or null when the caller was no saved contact. */
  contact_variables: string | null;
  ext_no: string | null;
  recording_id: string | null;
  call_disposition: string | null;
  seq?: number;
}

export interface ListFilter {
  orgId: string;
  from?: string;
  to?: string;
  phones?: string[];
  type?: CallType;
  /** The DID the call came in on or showed (E.164). */
  did?: string;
  limit: number;
  offset: number;
}

// One query shape for list, get and sync: the row plus its agent extension, first recording and latest disposition.
const SELECT = `select l.rowid as rowid, l.id, l.call_uuid, l.switch_id, l.direction, l.did, l.caller, l.started_at, l.answered_at, l.ended_at,
  l.duration_s, l.path, l.dtmf, l.disposition, l.left_at, l.answered_by, l.hangup_cause, l.contact_id, l.contact_name, l.contact_variables,
  (select o.ext_no from outbound_calls o where o.id = l.id) as ext_no,
  (select r.id from call_recordings r where r.org_id = l.org_id and r.call_id = l.id order by r.created_at limit 1) as recording_id,
  (select n.disposition from call_notes n where n.org_id = l.org_id and n.call_log_id = l.id and n.disposition is not null
     order by n.created_at desc, n.rowid desc limit 1) as call_disposition`;

function where(f: ListFilter): { sql: string; params: unknown[] } {
  const parts = ['l.org_id = ?'];
  const params: unknown[] = [f.orgId];
  if (f.from) { parts.push('l.started_at >= ?'); params.push(f.from); }
  if (f.to) { parts.push('l.started_at < ?'); params.push(f.to); }
  if (f.type) {
    parts.push('l.direction = ?');
    params.push(f.type);
    // Implies the partial by-type index's condition (migration 0006), so the planner may use it.
    if (f.type !== 'inbound') parts.push(`l.direction <> 'inbound'`);
  }
  if (f.did) { parts.push('l.did = ?'); params.push(f.did); }
  if (f.phones && f.phones.length > 0) {
    parts.push(`l.caller in (${f.phones.map(() => '?').join(', ')})`);
    params.push(...f.phones);
  }
  return { sql: parts.join(' and '), params };
}

export function listCallLogs(db: Db, f: ListFilter): { rows: CallLogRow[]; total: number } {
  const w = where(f);
  const sqlite = sqliteOf(db);
  const rows = sqlite
    .prepare(`${SELECT} from call_logs l where ${w.sql} order by l.started_at desc, l.rowid desc limit ? offset ?`)
    .all(...w.params, f.limit, f.offset) as CallLogRow[];
  const total = (sqlite.prepare(`select count(*) as n from call_logs l where ${w.sql}`).get(...w.params) as { n: number }).n;
  return { rows, total };
}

/** By call log id or FreeSWITCH/SIP call uuid, within the org; 404 otherwise. */
export function getCallLog(db: Db, orgId: string, ref: string): CallLogRow {
  const row = sqliteOf(db)
    .prepare(`${SELECT} from call_logs l where l.org_id = ? and (l.id = ? or l.call_uuid = ?) order by l.rowid limit 1`)
    .get(orgId, ref, ref) as CallLogRow | undefined;
  if (!row) throw new NotFoundError('Call not found');
  return row;
}

// getCallLog on the async handle (placed calls use it; the call-log area converts the rest).
// PostgreSQL: `seq` is the insertion order, JSON columns come back as text and integers as numbers, as on SQLite.
const PG_GET_SQL = `select l.seq::float8 as rowid, l.id, l.call_uuid, l.switch_id, l.direction, l.did, l.caller, l.started_at, l.answered_at, l.ended_at,
  l.duration_s::float8 as duration_s, l.path::text as path, l.dtmf, l.disposition, l.left_at, l.answered_by, l.hangup_cause, l.contact_id, l.contact_name,
  l.contact_variables::text as contact_variables,
  (select o.ext_no from outbound_calls o where o.id = l.id) as ext_no,
  (select r.id from call_recordings r where r.org_id = l.org_id and r.call_id = l.id order by r.created_at limit 1) as recording_id,
  (select n.disposition from call_notes n where n.org_id = l.org_id and n.call_log_id = l.id and n.disposition is not null
     order by n.created_at desc, n.seq desc limit 1) as call_disposition
  from call_logs l where l.org_id = $1 and (l.id = $2 or l.call_uuid = $2) order by l.seq limit 1`;

/** getCallLog on the async handle: by call log id or call uuid, within the org; 404 otherwise. */
export async function getCallLogAsync(db: AsyncDb, orgId: string, ref: string): Promise<CallLogRow> {
  const { driver } = db;
  const row = driver.dialect === 'sqlite'
    ? await driver.gate.withRaw((raw) => raw
      .prepare(`${SELECT} from call_logs l where l.org_id = ? and (l.id = ? or l.call_uuid = ?) order by l.rowid limit 1`)
      .get(orgId, ref, ref) as CallLogRow | undefined)
    : (await driver.pool.query<CallLogRow>({ name: 'call_log_get', text: PG_GET_SQL, values: [orgId, ref] })).rows[0];
  if (!row) throw new NotFoundError('Call not found');
  return row;
}

/** Which finished calls a sync returns: one type, or every type but one; campaign (dialer) calls only, or none of them. */
export interface SyncFilter {
  type?: CallType | undefined;
  notType?: string | undefined;
  campaign?: boolean | undefined;
}

/** Finished calls after feed cursor `after`, oldest first. */
export function syncCallLogs(db: Db, orgId: string, after: number, limit: number, filter: SyncFilter = {}): CallLogRow[] {
  const parts: string[] = [];
  const args: unknown[] = [];
  if (filter.type) { parts.push('and l.direction = ?'); args.push(filter.type); }
  if (filter.notType) { parts.push('and l.direction <> ?'); args.push(filter.notType); }
  if (filter.campaign !== undefined) {
    parts.push(`and ${filter.campaign ? '' : 'not '}exists (select 1 from outbound_calls o where o.id = l.id and o.campaign_id is not null)`);
  }
  return sqliteOf(db)
    .prepare(`${SELECT}, f.seq as seq from call_log_feed f join call_logs l on l.id = f.call_log_id
      where f.org_id = ? and f.seq > ? ${parts.join(' ')} order by f.seq limit ?`)
    .all(orgId, after, ...args, limit) as CallLogRow[];
}

/** The feed position of a call log id (the "last id" an integration kept); 404 if it never finished here. */
export function feedSeqOf(db: Db, orgId: string, callLogId: string): number {
  const row = sqliteOf(db)
    .prepare('select max(seq) as seq from call_log_feed where org_id = ? and call_log_id = ?')
    .get(orgId, callLogId) as { seq: number | null };
  if (row.seq === null) throw new NotFoundError(`Call ${callLogId} not found in the sync feed`);
  return row.seq;
}

export type CallStatus = 'in_progress' | 'answered' | 'missed' | 'failed';

export function callStatus(r: Pick<CallLogRow, 'ended_at' | 'answered_at' | 'direction' | 'hangup_cause'>): CallStatus {
  if (!r.ended_at) return 'in_progress';
  if (r.answered_at) return 'answered';
  return r.direction === 'inbound' ? 'missed' : 'failed';
}

/** The caller's contact as the call saw it when it arrived (a later edit or delete of the contact does not change it). */
function contactOf(r: Pick<CallLogRow, 'contact_id' | 'contact_name' | 'contact_variables'>) {
  if (!r.contact_id) return null;
  let variables: Record<string, string> = {};
  try {
    const parsed: unknown = JSON.parse(r.contact_variables ?? '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) variables = parsed as Record<string, string>;
  } catch {
    variables = {};
  }
  return { id: r.contact_id, name: r.contact_name ?? '', variables };
}

export function toCallLogDto(r: CallLogRow, baseUrl: string) {
  let path: unknown[] = [];
  try {
    const parsed: unknown = JSON.parse(r.path);
    if (Array.isArray(parsed)) path = parsed;
  } catch {
    path = [];
  }
  return {
    id: r.id,
    call_uuid: r.call_uuid,
    switch_id: r.switch_id,
    type: r.direction,
    direction: r.direction === 'inbound' ? ('inbound' as const) : ('outbound' as const),
    did: r.did,
    caller_number: r.caller,
    agent: r.ext_no ?? r.answered_by,
    attended_by: r.answered_by,
    start_time: r.started_at,
    answered_at: r.answered_at,
    end_time: r.ended_at,
    duration: r.duration_s,
    status: callStatus(r),
    outcome: r.disposition,
    left_at: r.left_at,
    hangup_cause: r.hangup_cause,
    disposition: r.call_disposition,
    recording_url: r.recording_id ? `${baseUrl}/api/v1/calls/${r.id}/recordings/${r.recording_id}/download` : null,
    dtmf_input: r.dtmf,
    ivr_path: path,
    contact: contactOf(r),
  };
}

export type CallLogDto = ReturnType<typeof toCallLogDto>;
