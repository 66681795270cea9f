/**
 * Database side of the restart reconciliation (reconcile.ts): finding call_logs rows that are not
 * ended, closing the ones whose call is gone, writing the calls FreeSWITCH answered while no
 * controller was reachable, and a lease so that one instance of several sharing the database does the
 * switch-side work at a time. Every write is guarded (`ended_at is null`, `not exists`), so two
 * instances reconciling at once write each row once, and only the one whose write changed a row
 * announces it.
 */
import { sqliteOf, type Db } from '../db/client.ts';
import { LIVE_STATUSES } from '../services/calls/call-store.ts';

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
  maxRowid(): number;
  /** Rows not ended with rowid in (after, upTo]: a rowid range of the table itself, no index needed. */
  openInRange(after: number, upTo: number): OpenRow[];
  /** Those of `ids` still not ended and not a placed call that call control follows (outbound_calls live). */
  stillOpen(ids: readonly string[]): OpenRow[];
  /** Rows of a call uuid that are not ended. */
  openByUuid(callUuid: string): OpenRow[];
  /** Whether any row (open or ended) has this call uuid. */
  hasCall(callUuid: string): boolean;
  /** True when the row changed here (it was still open). */
  closeLost(row: OpenRow, close: LostClose): boolean;
  /** Inserts the call log of a call no controller saw, unless any row of that uuid exists; true when inserted. */
  insertUnseen(row: UnseenCallRow): boolean;
  /** Claims the reconcile lease for `leaseMs`; `minGapMs` > 0 also requires the last sweep to be that old. */
  claimLease(owner: string, nowMs: number, leaseMs: number, minGapMs: number): boolean;
  releaseLease(owner: string, nowMs: number): void;
}

export const OUTCOME_LOST = 'controller_lost';
export const OUTCOME_UNAVAILABLE = 'controller_unavailable';
const LEASE_KEY = 'reconcile_lease';

interface Lease { owner: string; until: number; last: number }

const COLS = 'l.rowid as rowid, l.id as id, l.call_uuid as callUuid, l.switch_id as switchId, l.org_id as orgId, l.started_at as startedAt';
const NOT_PLACED = `not exists (select 1 from outbound_calls o where o.id = l.id and o.status in (${LIVE_STATUSES.map((s) => `'${s}'`).join(', ')}))`;

function durationS(startedAt: string, endedAt: string): number {
  const d = Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000);
  return Number.isFinite(d) ? Math.max(0, d) : 0;
}

export function createReconcileStore(db: Db): ReconcileStore {
  const sqlite = sqliteOf(db);
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
  const readLease = (): Lease | null => {
    const raw = leaseGet.get(LEASE_KEY) as string | undefined;
    if (!raw) return null;
    try {
      const v = JSON.parse(raw) as Partial<Lease>;
      return { owner: String(v.owner ?? ''), until: Number(v.until ?? 0), last: Number(v.last ?? 0) };
    } catch {
      return null;
    }
  };
  // BEGIN IMMEDIATE: the read and the write of the lease are one step for every process on the file.
  const claim = sqlite.transaction((owner: string, nowMs: number, leaseMs: number, minGapMs: number): boolean => {
    const cur = readLease();
    if (cur && cur.until > nowMs && cur.owner !== owner) return false;
    if (cur && minGapMs > 0 && nowMs - cur.last < minGapMs) return false;
    leasePut.run(LEASE_KEY, JSON.stringify({ owner, until: nowMs + leaseMs, last: cur?.last ?? 0 }));
    return true;
  });
  const release = sqlite.transaction((owner: string, nowMs: number): void => {
    const cur = readLease();
    if (cur && cur.owner !== owner) return;
    leasePut.run(LEASE_KEY, JSON.stringify({ owner, until: 0, last: nowMs }));
  });

  return {
    maxRowid: () => Number(maxRowid.get()),
    openInRange: (after, upTo) => inRange.all(after, upTo) as OpenRow[],
    stillOpen: (ids) => ids.flatMap((id) => (byId.all(id) as OpenRow[])),
    openByUuid: (callUuid) => byUuid.all(callUuid) as OpenRow[],
    hasCall: (callUuid) => anyByUuid.get(callUuid) !== undefined,
    closeLost: (row, c) => close.run(c.endedAt, durationS(row.startedAt, c.endedAt), c.hangupCause, c.answeredAt, row.id).changes === 1,
    insertUnseen: (r) =>
      insert.run(r.id, r.callUuid, r.switchId, r.orgId, r.did, r.caller, r.startedAt, r.endedAt, durationS(r.startedAt, r.endedAt), r.hangupCause, r.startedAt, r.callUuid)
        .changes === 1,
    claimLease: (owner, nowMs, leaseMs, minGapMs) => claim.immediate(owner, nowMs, leaseMs, minGapMs),
    releaseLease: (owner, nowMs) => release.immediate(owner, nowMs),
  };
}
