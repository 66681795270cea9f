/**
 * GET /live-calls: the organization's calls in progress. This instance's calls come from the tracker (the
 * bus: menu, keys, whom the caller is with); every call log row still open adds the calls other instances
 * run (the row is written when a call arrives and finished when it ends), with what the row knows.
 */
import { and, asc, eq, gte, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
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

export async function listLiveCalls(db: Db, tracker: LiveCallTracker | undefined, orgId: string, now: Date): Promise<LiveCallDto[]> {
  const { callLogs: l } = db.t;
  const since = new Date(now.getTime() - MAX_AGE_MS).toISOString();
  const rows: OpenRow[] = await db
    .select({ id: l.id, direction: l.direction, did: l.did, caller: l.caller, contact_name: l.contactName, started_at: l.startedAt, answered_at: l.answeredAt, dtmf: l.dtmf })
    .from(l).where(and(eq(l.orgId, orgId), gte(l.startedAt, since), isNull(l.endedAt))).orderBy(asc(l.startedAt)).limit(MAX_CALLS);
  const tracked = tracker?.list(orgId) ?? [];
  const seen = new Set(tracked.map((c) => c.callId));
  const calls: LiveCallDto[] = [
    ...tracked.map(fromTracked),
    ...rows.filter((r) => !seen.has(r.id)).map(fromRow),
  ].sort((a, b) => a.started_at.localeCompare(b.started_at));

  // The menus by name, and a call not yet in any menu is in its DID's IVR, as the published routing says.
  const entry = calls.some((c) => c.ivr_id === null) ? await didIvrs(db, orgId) : new Map<string, string>();
  const ivrIds = new Set<string>();
  for (const c of calls) {
    if (c.ivr_id === null && c.did !== null) c.ivr_id = entry.get(c.did) ?? null;
    if (c.ivr_id) ivrIds.add(c.ivr_id);
  }
  const names = await ivrNames(db, orgId, [...ivrIds]);
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

/** The org's DIDs that lead to an IVR, as calls get them now: number → IVR id. */
async function didIvrs(db: Db, orgId: string): Promise<Map<string, string>> {
  const { liveDids: d } = db.t;
  const rows = await db.select({ number: d.number, ivr: d.routingDestination }).from(d)
    .where(and(eq(d.orgId, orgId), eq(d.routingType, 'ivr'), isNotNull(d.routingDestination)));
  return new Map(rows.map((r) => [r.number, r.ivr!]));
}

async function ivrNames(db: Db, orgId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { ivrs } = db.t;
  const rows = await db.select({ id: ivrs.id, name: ivrs.name }).from(ivrs).where(and(eq(ivrs.orgId, orgId), inArray(ivrs.id, ids)));
  return new Map(rows.map((r) => [r.id, r.name]));
}
