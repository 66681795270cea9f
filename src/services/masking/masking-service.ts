/**
 * Masking sessions through the API: create one (and place its call), list, read, extend, cancel (and
 * hang its live calls up), and the calls it made. The real pair is kept only while the session is active.
 */
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { callLogs, maskingSessions, outboundCalls } from '../../db/schema/index.ts';
import { maskNumber } from '../numbers/phone.ts';
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '../../domain/errors.ts';
import { LIVE_STATUSES, type OutboundRow } from '../calls/call-store.ts';
import { callControl, didField, phoneField, type CallsDeps } from '../calls/calls-service.ts';
import { CallNotLiveError } from '../calls/control.ts';
import { endMaskingSession, type MaskingRow } from './store.ts';

const MIN = 60_000;

/** A session with the id of its (first) call. */
export interface MaskingSessionView {
  row: MaskingRow;
  logid: string | null;
}

function find(db: Db, orgId: string, id: string): MaskingRow {
  const row = db.select().from(maskingSessions).where(and(eq(maskingSessions.id, id), eq(maskingSessions.orgId, orgId))).get();
  if (!row) throw new NotFoundError('Masking session not found');
  return row;
}

function callsOf(db: Db, sessionId: string): OutboundRow[] {
  return db.select().from(outboundCalls).where(eq(outboundCalls.maskingSessionId, sessionId)).orderBy(asc(outboundCalls.createdAt)).all();
}

const view = (db: Db, row: MaskingRow): MaskingSessionView => ({ row, logid: callsOf(db, row.id)[0]?.id ?? null });

/** Stores the session and places its call; when the call cannot be placed, the session is cancelled. */
export async function createMaskingSession(
  deps: CallsDeps,
  orgId: string,
  b: { first_phone: string; second_phone: string; did: string; duration_minutes: number },
): Promise<MaskingSessionView> {
  const { db, config, now } = deps;
  const first = phoneField(b.first_phone, 'first_phone', config.DEFAULT_COUNTRY_CODE);
  const second = phoneField(b.second_phone, 'second_phone', config.DEFAULT_COUNTRY_CODE);
  if (first === second) throw new ValidationError('The two numbers must differ', [{ field: 'second_phone', message: 'same number as first_phone' }]);
  const did = didField(db, orgId, b.did, config.DEFAULT_COUNTRY_CODE);
  const control = callControl(deps.calls);
  if (!control.connected) throw new ServiceUnavailableError('FreeSWITCH is not connected; no session was created');
  const at = now();
  const session = db.insert(maskingSessions).values({
    orgId, did, firstPhone: first, secondPhone: second, firstMasked: maskNumber(first), secondMasked: maskNumber(second),
    expiresAt: new Date(at.getTime() + b.duration_minutes * MIN).toISOString(), createdAt: at.toISOString(), updatedAt: at.toISOString(),
  }).returning().get();
  try {
    await control.create({
      orgId, kind: 'masking', did, first: session.firstMasked, second: session.secondMasked, maskingSessionId: session.id,
    });
  } catch (err) {
    endMaskingSession(db, session.id, 'cancelled', now().toISOString());
    throw err;
  }
  return view(db, find(db, orgId, session.id));
}

/** A page of the org's sessions, newest first; `total` counts every match. */
export function listMaskingSessions(
  db: Db,
  orgId: string,
  q: { status?: string | undefined; limit: number; offset: number },
): { sessions: MaskingSessionView[]; total: number } {
  const where = and(eq(maskingSessions.orgId, orgId), q.status ? eq(maskingSessions.status, q.status) : undefined);
  const rows = db.select().from(maskingSessions).where(where).orderBy(desc(maskingSessions.createdAt), desc(sql`rowid`)).limit(q.limit).offset(q.offset).all();
  const total = db.select({ n: count() }).from(maskingSessions).where(where).get()?.n ?? 0;
  return { sessions: rows.map((r) => view(db, r)), total };
}

export function getMaskingSession(db: Db, orgId: string, id: string): MaskingSessionView {
  return view(db, find(db, orgId, id));
}

/**
 * The active session between `did` and `firstPhone` (any format), the newest when there are several;
 * 404 when none is active (an ended session no longer knows its numbers).
 */
export function findActiveSessionByParty(deps: Pick<CallsDeps, 'db' | 'config'>, orgId: string, did: string, firstPhone: string): MaskingSessionView {
  const { db, config } = deps;
  const number = didField(db, orgId, did, config.DEFAULT_COUNTRY_CODE);
  const first = phoneField(firstPhone, 'first_number', config.DEFAULT_COUNTRY_CODE);
  const row = db.select().from(maskingSessions)
    .where(and(eq(maskingSessions.orgId, orgId), eq(maskingSessions.did, number), eq(maskingSessions.firstPhone, first), eq(maskingSessions.status, 'active')))
    .orderBy(desc(maskingSessions.createdAt), desc(sql`rowid`)).get();
  if (!row) throw new NotFoundError('No active masking session between this DID and first number');
  return view(db, row);
}

/** A new lifetime for an active session, counted from its start. */
export function extendMaskingSession(deps: Pick<CallsDeps, 'db' | 'now'>, orgId: string, id: string, durationMinutes: number): MaskingSessionView {
  const { db, now } = deps;
  const row = find(db, orgId, id);
  if (row.status !== 'active') throw new ConflictError(`Masking session is ${row.status}`);
  const expiresAt = new Date(Date.parse(row.createdAt) + durationMinutes * MIN).toISOString();
  db.update(maskingSessions).set({ expiresAt, updatedAt: now().toISOString() }).where(eq(maskingSessions.id, id)).run();
  return view(db, find(db, orgId, id));
}

/** Ends an active session (forgetting the pair) and hangs up its live calls. */
export async function cancelMaskingSession(deps: CallsDeps, orgId: string, id: string): Promise<MaskingSessionView> {
  const { db, now } = deps;
  const row = find(db, orgId, id);
  if (row.status !== 'active') throw new ConflictError(`Masking session is already ${row.status}`);
  // Cancel first (forgetting the pair), then hang up: the call's own end must not report "ended".
  endMaskingSession(db, id, 'cancelled', now().toISOString());
  const live = callsOf(db, id).filter((call) => LIVE_STATUSES.includes(call.status as never));
  if (live.length > 0) {
    const control = callControl(deps.calls);
    for (const call of live) await control.hangup(orgId, call.id).catch((err: unknown) => {
      if (!(err instanceof CallNotLiveError)) throw err;
    });
  }
  return view(db, find(db, orgId, id));
}

/** The session's calls, oldest first, each with its call log's duration. */
export function maskingSessionCalls(db: Db, orgId: string, id: string): Array<{ call: OutboundRow; durationS: number | null }> {
  find(db, orgId, id);
  return callsOf(db, id).map((call) => {
    const log = db.select().from(callLogs).where(eq(callLogs.id, call.id)).get();
    return { call, durationS: log?.durationS ?? null };
  });
}
