/**
 * GET /live-calls: the organization's calls in progress. This instance's calls come from the tracker (the
 * bus: menu, keys, whom the caller is with); every call log row still open adds the calls other instances
 * run (the row is written when a call arrives and finished when it ends), with what the row knows.
 */
import { sqliteOf, type Db } from '../../db/client.ts';
import type { LiveCallState, LiveCallTracker, TrackedCall } from './tracker.ts';

export interface LiveCallDto {
  call_id: string;
  did: string | null;
  caller: string | null;
  contact_name: string | null;
  started_at: string;
  answered_at: string | null;
  /** `in_progress`: a call another instance runs (only its row is known here). */
  state: LiveCallState | 'in_progress';
  ivr_id: string | null;
  ivr_name: string | null;
  digits: string;
  last_selection: { ivr_id: string; digits: string; action: string; destination: string | null } | null;
  with: string | null;
  /** `this_instance`: followed through the call events; `other_instance`: from its call log row. */
  source: 'this_instance' | 'other_instance';
}

interface OpenRow {
  id: string;
  direction: string;
  did: string | null;
  caller: string | null;
  contact_name: string | null;
  started_at: string;
  answered_at: string | null;
  dtmf: string;
}

/** Open rows older than this are left to the restart reconciliation, not shown as live. */
const MAX_AGE_MS = 4 * 3_600_000;
const MAX_CALLS = 500;

export function listLiveCalls(db: Db, tracker: LiveCallTracker | undefined, orgId: string, now: Date): LiveCallDto[] {
  const sqlite = sqliteOf(db);
  const since = new Date(now.getTime() - MAX_AGE_MS).toISOString();
  const rows = sqlite
    .prepare(`select id, direction, did, caller, contact_name, started_at, answered_at, dtmf from call_logs
      where org_id = ? and started_at >= ? and ended_at is null order by started_at limit ?`)
    .all(orgId, since, MAX_CALLS) as OpenRow[];
  const tracked = tracker?.list(orgId) ?? [];
  const seen = new Set(tracked.map((c) => c.callId));
  const calls: LiveCallDto[] = [
    ...tracked.map(fromTracked),
    ...rows.filter((r) => !seen.has(r.id)).map(fromRow),
  ].sort((a, b) => a.started_at.localeCompare(b.started_at));

  // The menus by name, and a call not yet in any menu is in its DID's IVR, as the published routing says.
  const entry = calls.some((c) => c.ivr_id === null) ? didIvrs(sqlite, orgId) : new Map<string, string>();
  const ivrIds = new Set<string>();
  for (const c of calls) {
    if (c.ivr_id === null && c.did !== null) c.ivr_id = entry.get(c.did) ?? null;
    if (c.ivr_id) ivrIds.add(c.ivr_id);
  }
  const names = ivrNames(sqlite, orgId, [...ivrIds]);
  for (const c of calls) c.ivr_name = c.ivr_id ? names.get(c.ivr_id) ?? null : null;
  return calls;
}

/** One tracked call as the API shows it (the SSE stream sends updates in this shape too). */
export function toLiveCallDto(c: TrackedCall): LiveCallDto {
  return fromTracked(c);
}

function fromTracked(c: TrackedCall): LiveCallDto {
  return {
    call_id: c.callId, did: c.did, caller: c.caller, contact_name: c.contactName, started_at: c.startedAt, answered_at: c.answeredAt,
    state: c.state, ivr_id: c.ivrId, ivr_name: null, digits: c.digits,
    last_selection: c.lastSelection && {
      ivr_id: c.lastSelection.ivrId, digits: c.lastSelection.digits, action: c.lastSelection.action, destination: c.lastSelection.destination,
    },
    with: c.with, source: 'this_instance',
  };
}

function fromRow(r: OpenRow): LiveCallDto {
  return {
    call_id: r.id, did: r.did, caller: r.caller, contact_name: r.contact_name, started_at: r.started_at, answered_at: r.answered_at,
    state: 'in_progress', ivr_id: null, ivr_name: null, digits: r.dtmf, last_selection: null, with: null, source: 'other_instance',
  };
}

type Sqlite = ReturnType<typeof sqliteOf>;

/** The org's DIDs that lead to an IVR, as calls get them now: number → IVR id. */
function didIvrs(sqlite: Sqlite, orgId: string): Map<string, string> {
  const rows = sqlite
    .prepare(`select number, routing_destination as ivr from live_dids where org_id = ? and routing_type = 'ivr' and routing_destination is not null`)
    .all(orgId) as Array<{ number: string; ivr: string }>;
  return new Map(rows.map((r) => [r.number, r.ivr]));
}

function ivrNames(sqlite: Sqlite, orgId: string, ids: string[]): Map<string, string> {
  if (ids.length === 0) return new Map();
  const rows = sqlite
    .prepare(`select id, name from ivrs where org_id = ? and id in (${ids.map(() => '?').join(', ')})`)
    .all(orgId, ...ids) as Array<{ id: string; name: string }>;
  return new Map(rows.map((r) => [r.id, r.name]));
}
