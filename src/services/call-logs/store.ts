import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Db, Dialect } from '../../db/handle.ts';
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

/**
 * The same on PostgreSQL: the hidden `seq` columns stand for rowid (db/migrations-pg/0001_extras.sql), int8
 * columns come back as numbers (float8: exact to 2^53) and the jsonb ones as the JSON text SQLite returns.
 */
const PG_SELECT = `select l.seq::float8 as rowid, l.id, l.call_uuid, l.switch_id, l.direction, l.did, l.caller, l.started_at, l.answered_at, l.ended_at,
  l.duration_s::float8 as duration_s, l.path::text as path, l.dtmf, l.disposition, l.left_at, l.answered_by, l.hangup_cause, l.contact_id, l.contact_name,
  l.contact_variables::text as contact_variables,
  (select o.ext_no from outbound_calls o where o.id = l.id) as ext_no,
  (select r.id from call_recordings r where r.org_id = l.org_id and r.call_id = l.id order by r.created_at limit 1) as recording_id,
  (select n.disposition from call_notes n where n.org_id = l.org_id and n.call_log_id = l.id and n.disposition is not null
     order by n.created_at desc, n.seq desc limit 1) as call_disposition`;

/** Placeholders of one statement: `?` on SQLite, `$1, $2, …` on PostgreSQL. */
class Params {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: Dialect) {}
  add(v: unknown): string {
    this.values.push(v);
    return this.dialect === 'sqlite' ? '?' : `$${this.values.length}`;
  }
}

function where(f: ListFilter, p: Params): string {
  const parts = [`l.org_id = ${p.add(f.orgId)}`];
  if (f.from) parts.push(`l.started_at >= ${p.add(f.from)}`);
  if (f.to) parts.push(`l.started_at < ${p.add(f.to)}`);
  if (f.type) {
    parts.push(`l.direction = ${p.add(f.type)}`);
    // Implies the partial by-type index's condition (migration 0006), so the planner may use it.
    if (f.type !== 'inbound') parts.push(`l.direction <> 'inbound'`);
  }
  if (f.did) parts.push(`l.did = ${p.add(f.did)}`);
  if (f.phones && f.phones.length > 0) parts.push(`l.caller in (${f.phones.map((v) => p.add(v)).join(', ')})`);
  return parts.join(' and ');
}

/** The pieces of the list, get, sync and feed statements for one dialect (the SQL differs in placeholders and rowid). */
function listSql(d: Dialect, f: ListFilter) {
  const p = new Params(d);
  const w = where(f, p);
  const counted = [...p.values];
  const order = d === 'sqlite' ? 'l.rowid' : 'l.seq';
  const text = `${d === 'sqlite' ? SELECT : PG_SELECT} from call_logs l where ${w} order by l.started_at desc, ${order} desc limit ${p.add(f.limit)} offset ${p.add(f.offset)}`;
  return { text, values: p.values, countText: `select count(*) as n from call_logs l where ${w}`, countValues: counted };
}

function getSql(d: Dialect): string {
  return d === 'sqlite'
    ? `${SELECT} from call_logs l where l.org_id = ? and (l.id = ? or l.call_uuid = ?) order by l.rowid limit 1`
    : `${PG_SELECT} from call_logs l where l.org_id = $1 and (l.id = $2 or l.call_uuid = $2) order by l.seq limit 1`;
}

function syncSql(d: Dialect, orgId: string, after: number, limit: number, filter: SyncFilter) {
  const p = new Params(d);
  const head = `f.org_id = ${p.add(orgId)} and f.seq > ${p.add(after)}`;
  const parts: string[] = [];
  if (filter.type) parts.push(`and l.direction = ${p.add(filter.type)}`);
  if (filter.notType) parts.push(`and l.direction <> ${p.add(filter.notType)}`);
  if (filter.campaign !== undefined) {
    parts.push(`and ${filter.campaign ? '' : 'not '}exists (select 1 from outbound_calls o where o.id = l.id and o.campaign_id is not null)`);
  }
  const seq = d === 'sqlite' ? 'f.seq as seq' : 'f.seq::float8 as seq';
  const text = `${d === 'sqlite' ? SELECT : PG_SELECT}, ${seq} from call_log_feed f join call_logs l on l.id = f.call_log_id
      where ${head} ${parts.join(' ')} order by f.seq limit ${p.add(limit)}`;
  return { text, values: p.values };
}

const FEED_SEQ_SQL = 'select max(seq) as seq from call_log_feed where org_id = ? and call_log_id = ?';
const PG_FEED_SEQ_SQL = 'select max(seq)::float8 as seq from call_log_feed where org_id = $1 and call_log_id = $2';

/**
 * Runs one read on either database: SQLite through the connection's gate (prepared on the raw connection, as
 * the synchronous versions below), PostgreSQL as a named prepared statement (the name follows the text).
 */
async function query<T>(db: Db, text: string, values: unknown[], one: true): Promise<T | undefined>;
async function query<T>(db: Db, text: string, values: unknown[], one?: false): Promise<T[]>;
async function query<T>(db: Db, text: string, values: unknown[], one = false): Promise<T[] | T | undefined> {
  const { driver } = db;
  if (driver.dialect === 'sqlite') {
    return driver.gate.withRaw((raw) => {
      const stmt = raw.prepare(text);
      return one ? (stmt.get(...values) as T | undefined) : (stmt.all(...values) as T[]);
    });
  }
  const { rows } = await driver.pool.query({ name: statementName(text), text, values });
  return one ? (rows[0] as T | undefined) : (rows as T[]);
}

const names = new Map<string, string>();
/** A server-side prepared statement's name: one per distinct text (the list's text varies with its filters). */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `cl_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    if (names.size >= 200) names.delete(names.keys().next().value as string);
    names.set(text, name);
  }
  return name;
}

export async function listCallLogs(db: Db, f: ListFilter): Promise<{ rows: CallLogRow[]; total: number }> {
  const q = listSql(db.driver.dialect, f);
  const rows = await query<CallLogRow>(db, q.text, q.values);
  const n = await query<{ n: number | string }>(db, q.countText, q.countValues, true);
  return { rows, total: Number(n?.n ?? 0) };
}

/** By call log id or FreeSWITCH/SIP call uuid, within the org; 404 otherwise. */
export async function getCallLog(db: Db, orgId: string, ref: string): Promise<CallLogRow> {
  const d = db.driver.dialect;
  const row = await query<CallLogRow>(db, getSql(d), d === 'sqlite' ? [orgId, ref, ref] : [orgId, ref], true);
  if (!row) throw new NotFoundError('Call not found');
  return row;
}

/** Which finished calls a sync returns: one type, or every type but one; campaign (dialer) calls only, or none of them. */
export interface SyncFilter {
  type?: CallType | undefined;
  notType?: string | undefined;
  campaign?: boolean | undefined;
}

/**
 * Finished calls after feed cursor `after`, oldest first. On PostgreSQL the feed's seq is handed out under a
 * transaction-scoped advisory lock held to commit (the call_logs_feed trigger, 0001_extras.sql), so seq order
 * is commit order and a reader past `after` never skips a row that commits late.
 */
export async function syncCallLogs(db: Db, orgId: string, after: number, limit: number, filter: SyncFilter = {}): Promise<CallLogRow[]> {
  const q = syncSql(db.driver.dialect, orgId, after, limit, filter);
  return query<CallLogRow>(db, q.text, q.values);
}

/** The feed position of a call log id (the "last id" an integration kept); 404 if it never finished here. */
export async function feedSeqOf(db: Db, orgId: string, callLogId: string): Promise<number> {
  const row = await query<{ seq: number | null }>(db, db.driver.dialect === 'sqlite' ? FEED_SEQ_SQL : PG_FEED_SEQ_SQL, [orgId, callLogId], true);
  if (row?.seq == null) throw new NotFoundError(`Call ${callLogId} not found in the sync feed`);
  return row.seq;
}

/** getCallLog on the raw SQLite connection (inside a gate turn, e.g. the webhook outbox's write); undefined when absent. */
export function getCallLogOn(raw: Database.Database, orgId: string, ref: string): CallLogRow | undefined {
  return raw.prepare(getSql('sqlite')).get(orgId, ref, ref) as CallLogRow | undefined;
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
