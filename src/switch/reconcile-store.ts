/**
 * Database side of the restart reconciliation (reconcile.ts): finding call_logs rows that are not
 * ended, closing the ones whose call is gone, writing the calls FreeSWITCH answered while no
 * controller was reachable, and a lease so that one instance of several sharing the database does the
 * switch-side work at a time. Every write is guarded (`ended_at is null`, `not exists`), so two
 * instances reconciling at once write each row once, and only the one whose write changed a row
 * announces it.
 */
import type Database from 'better-sqlite3';
import type { Pool, PoolClient } from 'pg';
import type { Db } from '../db/handle.ts';
import type { SqliteGate } from '../db/sqlite-gate.ts';
import { LIVE_STATUSES } from '../services/calls/call-store.ts';
import { callDurationS } from '../domain/call-duration.ts';

export interface OpenRow {
  readonly rowid: number;
  readonly id: string;
  readonly callUuid: string;
  /** The switch that has (had) the channel; null when unknown (every switch may have it). */
  readonly switchId: string | null;
  readonly orgId: string | null;
  readonly startedAt: string;
}

export interface UnseenCallRow {
  readonly id: string;
  readonly callUuid: string;
  /** The switch whose record it is. */
  readonly switchId: string;
  readonly orgId: string | null;
  readonly did: string;
  readonly caller: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly hangupCause: string;
}

export interface LostClose {
  readonly endedAt: string;
  readonly hangupCause: string | null;
  /** Set when the row has none (null keeps what is there). */
  readonly answeredAt: string | null;
}

export interface ReconcileStore {
  maxRowid(): Promise<number>;
  /** Rows not ended with rowid in (after, upTo]: a rowid range of the table itself, no index needed. */
  openInRange(after: number, upTo: number): Promise<OpenRow[]>;
  /** Those of `ids` still not ended and not a placed call that call control follows (outbound_calls live). */
  stillOpen(ids: readonly string[]): Promise<OpenRow[]>;
  /**
   * PostgreSQL: every row not ended and not a live placed call, from the partial index call_logs_open_idx
   * (db/migrations-pg/0003): the reconciler uses it instead of the insertion-range scan, which there could pass
   * over a row whose transaction commits after a later seq was read (seq is handed out at insert). Absent on
   * SQLite (no index on ended_at; rowid ranges follow commit order there).
   */
  openAll?(): Promise<OpenRow[]>;
  /** Rows of a call uuid that are not ended. */
  openByUuid(callUuid: string): Promise<OpenRow[]>;
  /** Whether any row (open or ended) has this call uuid. */
  hasCall(callUuid: string): Promise<boolean>;
  /** True when the row changed here (it was still open). */
  closeLost(row: OpenRow, close: LostClose): Promise<boolean>;
  /** Inserts the call log of a call no controller saw, unless any row of that uuid exists; true when inserted. */
  insertUnseen(row: UnseenCallRow): Promise<boolean>;
  /** Claims the reconcile lease for `leaseMs`; `minGapMs` > 0 also requires the last sweep to be that old. */
  claimLease(owner: string, nowMs: number, leaseMs: number, minGapMs: number): Promise<boolean>;
  releaseLease(owner: string, nowMs: number): Promise<void>;
}

export const OUTCOME_LOST = 'controller_lost';
export const OUTCOME_UNAVAILABLE = 'controller_unavailable';
const LEASE_KEY = 'reconcile_lease';

interface Lease { owner: string; until: number; last: number }

const COLS = 'l.rowid as rowid, l.id as id, l.call_uuid as callUuid, l.switch_id as switchId, l.org_id as orgId, l.started_at as startedAt';
const NOT_PLACED = `not exists (select 1 from outbound_calls o where o.id = l.id and o.status in (${LIVE_STATUSES.map((s) => `'${s}'`).join(', ')}))`;

/** The lease rules on the value read (null: no lease or unreadable); the value to write, or null to refuse. */
function claimed(cur: Lease | null, owner: string, nowMs: number, leaseMs: number, minGapMs: number): string | null {
  if (cur && cur.until > nowMs && cur.owner !== owner) return null;
  if (cur && minGapMs > 0 && nowMs - cur.last < minGapMs) return null;
  return JSON.stringify({ owner, until: nowMs + leaseMs, last: cur?.last ?? 0 });
}

function released(cur: Lease | null, owner: string, nowMs: number): string | null {
  if (cur && cur.owner !== owner) return null;
  return JSON.stringify({ owner, until: 0, last: nowMs });
}

function parseLease(raw: string | null | undefined): Lease | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<Lease>;
    return { owner: String(v.owner ?? ''), until: Number(v.until ?? 0), last: Number(v.last ?? 0) };
  } catch {
    return null;
  }
}

/**
 * The store on the async handle. SQLite: today's prepared statements, each in the connection's turn (the lease
 * read and write in one BEGIN IMMEDIATE there). PostgreSQL: named statements on the pool; `seq` stands for
 * rowid (insertion order, the same ranges); the lease is read with FOR UPDATE on its settings row (created
 * empty first when missing), so two instances claiming at once take it one after the other. The open rows
 * come from a partial index there (openAll), not from seq ranges.
 */
export function createReconcileStore(db: Db): ReconcileStore {
  const { driver } = db;
  return driver.dialect === 'postgres' ? postgresStore(driver.pool) : sqliteStore(driver.gate);
}

function sqliteStore(gate: SqliteGate): ReconcileStore {
  type Prepared = ReturnType<typeof prepare>;
  let prepared: Prepared | undefined;
  const run = <T>(fn: (p: Prepared) => T): Promise<T> => gate.withRaw((raw) => fn((prepared ??= prepare(raw))));
  return {
    maxRowid: () => run((p) => Number(p.maxRowid.get())),
    openInRange: (after, upTo) => run((p) => p.inRange.all(after, upTo) as OpenRow[]),
    stillOpen: (ids) => run((p) => ids.flatMap((id) => (p.byId.all(id) as OpenRow[]))),
    openByUuid: (callUuid) => run((p) => p.byUuid.all(callUuid) as OpenRow[]),
    hasCall: (callUuid) => run((p) => p.anyByUuid.get(callUuid) !== undefined),
    closeLost: (row, c) => run((p) => p.close.run(c.endedAt, callDurationS(row.startedAt, c.endedAt), c.hangupCause, c.answeredAt, row.id).changes === 1),
    insertUnseen: (r) => run((p) =>
      p.insert.run(r.id, r.callUuid, r.switchId, r.orgId, r.did, r.caller, r.startedAt, r.endedAt, callDurationS(r.startedAt, r.endedAt), r.hangupCause, r.startedAt, r.callUuid)
        .changes === 1),
    claimLease: (owner, nowMs, leaseMs, minGapMs) => run((p) => p.claim.immediate(owner, nowMs, leaseMs, minGapMs)),
    releaseLease: (owner, nowMs) => run((p) => p.release.immediate(owner, nowMs)),
  };
}

function prepare(sqlite: Database.Database) {
  const maxRowid = sqlite.prepare('select coalesce(max(rowid), 0) from call_logs').pluck();
  const inRange = sqlite.prepare(`select ${COLS} from call_logs l where l.rowid > ? and l.rowid <= ? and l.ended_at is null`);
  const byId = sqlite.prepare(`select ${COLS} from call_logs l where l.id = ? and l.ended_at is null and ${NOT_PLACED}`);
  const byUuid = sqlite.prepare(`select ${COLS} from call_logs l where l.call_uuid = ? and l.ended_at is null and ${NOT_PLACED}`);
  const anyByUuid = sqlite.prepare('select 1 from call_logs where call_uuid = ? limit 1').pluck();
  const close = sqlite.prepare(
    `update call_logs set ended_at = ?, duration_s = ?, disposition = '${OUTCOME_LOST}', hangup_cause = ?,
       answered_at = coalesce(answered_at, ?) where id = ? and ended_at is null`,
  );
  const insert = sqlite.prepare(
    `insert into call_logs (id, call_uuid, switch_id, org_id, direction, did, caller, caller_name, started_at, ended_at, duration_s,
       path, dtmf, disposition, hangup_cause, created_at)
     select ?, ?, ?, ?, 'inbound', ?, ?, null, ?, ?, ?, '[]', '', '${OUTCOME_UNAVAILABLE}', ?, ?
     where not exists (select 1 from call_logs where call_uuid = ?)`,
  );
  const leaseGet = sqlite.prepare('select value from settings where key = ?').pluck();
  const leasePut = sqlite.prepare('insert into settings (key, value) values (?, ?) on conflict(key) do update set value = excluded.value');
  const readLease = () => parseLease(leaseGet.get(LEASE_KEY) as string | undefined);
  // BEGIN IMMEDIATE: the read and the write of the lease are one step for every process on the file.
  const claim = sqlite.transaction((owner: string, nowMs: number, leaseMs: number, minGapMs: number): boolean => {
    const next = claimed(readLease(), owner, nowMs, leaseMs, minGapMs);
    if (next === null) return false;
    leasePut.run(LEASE_KEY, next);
    return true;
  });
  const release = sqlite.transaction((owner: string, nowMs: number): void => {
    const next = released(readLease(), owner, nowMs);
    if (next !== null) leasePut.run(LEASE_KEY, next);
  });
  return { maxRowid, inRange, byId, byUuid, anyByUuid, close, insert, claim, release };
}

const PG_COLS = 'l.seq as rowid, l.id as "id", l.call_uuid as "callUuid", l.switch_id as "switchId", l.org_id as "orgId", l.started_at as "startedAt"';
type PgOpenRow = Omit<OpenRow, 'rowid'> & { rowid: string };
const openRow = (r: PgOpenRow): OpenRow => ({ ...r, rowid: Number(r.rowid) });

/** `fn` on one pooled connection between BEGIN and COMMIT (ROLLBACK when it throws). */
async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const out = await fn(client);
    await client.query('commit');
    return out;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

function postgresStore(pool: Pool): ReconcileStore {
  const rows = async (name: string, text: string, values: unknown[]): Promise<OpenRow[]> =>
    (await pool.query<PgOpenRow>({ name, text, values })).rows.map(openRow);
  const changed = async (name: string, text: string, values: unknown[]): Promise<boolean> =>
    (await pool.query({ name, text, values })).rowCount === 1;
  /** Runs `fn` on the lease's row, locked (FOR UPDATE) until the commit; the row is created empty when missing. */
  const withLease = <T>(fn: (cur: Lease | null, put: (value: string) => Promise<void>) => Promise<T>): Promise<T> =>
    inTransaction(pool, async (client) => {
      await client.query({ name: 'reconcile_lease_seed', text: `insert into settings (key, value) values ($1, '') on conflict (key) do nothing`, values: [LEASE_KEY] });
      const { rows: [row] } = await client.query<{ value: string }>({ name: 'reconcile_lease_lock', text: 'select value from settings where key = $1 for update', values: [LEASE_KEY] });
      return fn(parseLease(row?.value), async (value) => {
        await client.query({ name: 'reconcile_lease_put', text: 'update settings set value = $2 where key = $1', values: [LEASE_KEY, value] });
      });
    });
  return {
    maxRowid: async () => Number((await pool.query<{ n: string }>({ name: 'reconcile_max_seq', text: 'select coalesce(max(seq), 0) as n from call_logs', values: [] })).rows[0]?.n ?? 0),
    openInRange: (after, upTo) =>
      rows('reconcile_in_range', `select ${PG_COLS} from call_logs l where l.seq > $1 and l.seq <= $2 and l.ended_at is null`, [after, upTo]),
    stillOpen: async (ids) => {
      if (ids.length === 0) return [];
      // One statement for the whole set; the order of `ids` as on SQLite.
      const found = await rows('reconcile_still_open', `select ${PG_COLS} from call_logs l where l.id = any($1::text[]) and l.ended_at is null and ${NOT_PLACED}`, [ids]);
      const at = new Map(ids.map((id, i) => [id, i]));
      return found.sort((a, b) => (at.get(a.id) ?? 0) - (at.get(b.id) ?? 0));
    },
    openAll: () => rows('reconcile_open_all', `select ${PG_COLS} from call_logs l where l.ended_at is null and ${NOT_PLACED} order by l.started_at, l.seq`, []),
    openByUuid: (callUuid) =>
      rows('reconcile_by_uuid', `select ${PG_COLS} from call_logs l where l.call_uuid = $1 and l.ended_at is null and ${NOT_PLACED} order by l.seq`, [callUuid]),
    hasCall: async (callUuid) =>
      (await pool.query({ name: 'reconcile_has_call', text: 'select 1 from call_logs where call_uuid = $1 limit 1', values: [callUuid] })).rows.length > 0,
    closeLost: (row, c) => changed('reconcile_close_lost',
      `update call_logs set ended_at = $1, duration_s = $2, disposition = '${OUTCOME_LOST}', hangup_cause = $3,
         answered_at = coalesce(answered_at, $4) where id = $5 and ended_at is null`,
      [c.endedAt, callDurationS(row.startedAt, c.endedAt), c.hangupCause, c.answeredAt, row.id]),
    // call_uuid is not unique (a call may have several rows), so NOT EXISTS alone would let two writers at once
    // both insert under READ COMMITTED: a transaction-scoped advisory lock on the uuid orders them, and the
    // INSERT's own snapshot, taken after the lock, sees the first one's row.
    insertUnseen: (r) => inTransaction(pool, async (client) => {
      await client.query({ name: 'reconcile_unseen_lock', text: `select pg_advisory_xact_lock(hashtextextended('reconcile_unseen:' || $1::text, 0))`, values: [r.callUuid] });
      const res = await client.query({
        name: 'reconcile_insert_unseen',
        text: `insert into call_logs (id, call_uuid, switch_id, org_id, direction, did, caller, caller_name, started_at, ended_at, duration_s,
             path, dtmf, disposition, hangup_cause, created_at)
           select $1::text, $2::text, $3::text, $4::text, 'inbound', $5::text, $6::text, null, $7::text, $8::text, $9::bigint, '[]'::jsonb, '',
             '${OUTCOME_UNAVAILABLE}', $10::text, $7::text
           where not exists (select 1 from call_logs where call_uuid = $2::text)`,
        values: [r.id, r.callUuid, r.switchId, r.orgId, r.did, r.caller, r.startedAt, r.endedAt, callDurationS(r.startedAt, r.endedAt), r.hangupCause],
      });
      return res.rowCount === 1;
    }),
    claimLease: (owner, nowMs, leaseMs, minGapMs) => withLease(async (cur, put) => {
      const next = claimed(cur, owner, nowMs, leaseMs, minGapMs);
      if (next === null) return false;
      await put(next);
      return true;
    }),
    releaseLease: (owner, nowMs) => withLease(async (cur, put) => {
      const next = released(cur, owner, nowMs);
      if (next !== null) await put(next);
    }),
  };
}
