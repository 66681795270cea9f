/**
 * Masking sessions through the API: create one (and place its call), list, read, extend, cancel (and
 * hang its live calls up), and the calls it made. The real pair is kept only while the session is active.
 */
import { and, asc, count, desc, eq } from 'drizzle-orm';
import { affectedRows, type Db } from '../../db/handle.ts';
import { insertionOrder } from '../../db/order.ts';
import { maskNumber } from '../numbers/phone.ts';
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '../../domain/errors.ts';
import { LIVE_STATUSES, type OutboundRow } from '../calls/call-store.ts';
import { callControl, didField, phoneField, type PlaceDeps } from '../calls/calls-service.ts';
import { CallNotLiveError } from '../calls/control.ts';
import { endMaskingSession, type MaskingRow } from './store.ts';

/** The calls service's deps, the async handle as `adb` (the app's deps pass as they are). */
export type MaskingDeps = Omit<PlaceDeps, 'db'> & { adb: Db };

const MIN = 60_000;

/** A session with the id of its (first) call. */
export interface MaskingSessionView {
  row: MaskingRow;
  logid: string | null;
}

async function find(db: Db, orgId: string, id: string): Promise<MaskingRow> {
  const { maskingSessions } = db.t;
  const [row] = await db.select().from(maskingSessions).where(and(eq(maskingSessions.id, id), eq(maskingSessions.orgId, orgId))).limit(1);
  if (!row) throw new NotFoundError('Masking session not found');
  return row;
}

function callsOf(db: Db, sessionId: string): Promise<OutboundRow[]> {
  const { outboundCalls } = db.t;
  return db.select().from(outboundCalls).where(eq(outboundCalls.maskingSessionId, sessionId)).orderBy(asc(outboundCalls.createdAt));
}

const view = async (db: Db, row: MaskingRow): Promise<MaskingSessionView> => ({ row, logid: (await callsOf(db, row.id))[0]?.id ?? null });

/** Stores the session and places its call; when the call cannot be placed, the session is cancelled. */
export async function createMaskingSession(
  deps: MaskingDeps,
  orgId: string,
  b: { first_phone: string; second_phone: string; did: string; duration_minutes: number },
): Promise<MaskingSessionView> {
  const { adb: db, config, now } = deps;
  const first = phoneField(b.first_phone, 'first_phone', config.DEFAULT_COUNTRY_CODE);
  const second = phoneField(b.second_phone, 'second_phone', config.DEFAULT_COUNTRY_CODE);
  if (first === second) throw new ValidationError('The two numbers must differ', [{ field: 'second_phone', message: 'same number as first_phone' }]);
  const did = await didField(db, orgId, b.did, config.DEFAULT_COUNTRY_CODE);
  const control = callControl(deps.calls);
  if (!control.connected) throw new ServiceUnavailableError('FreeSWITCH is not connected; no session was created');
  const at = now();
  const [session] = await db.insert(db.t.maskingSessions).values({
    orgId, did, firstPhone: first, secondPhone: second, firstMasked: maskNumber(first), secondMasked: maskNumber(second),
    expiresAt: new Date(at.getTime() + b.duration_minutes * MIN).toISOString(), createdAt: at.toISOString(), updatedAt: at.toISOString(),
  }).returning();
  if (!session) throw new Error('masking session insert returned no row');
  try {
    await control.create({
      orgId, kind: 'masking', did, first: session.firstMasked, second: session.secondMasked, maskingSessionId: session.id,
    });
  } catch (err) {
    await endMaskingSession(db, session.id, 'cancelled', now().toISOString());
    throw err;
  }
  return view(db, await find(db, orgId, session.id));
}

/** A page of the org's sessions, newest first; `total` counts every match. */
export async function listMaskingSessions(
  db: Db,
  orgId: string,
  q: { status?: string | undefined; limit: number; offset: number },
): Promise<{ sessions: MaskingSessionView[]; total: number }> {
  const { maskingSessions } = db.t;
  const where = and(eq(maskingSessions.orgId, orgId), q.status ? eq(maskingSessions.status, q.status) : undefined);
  const rows = await db.select().from(maskingSessions).where(where)
    .orderBy(desc(maskingSessions.createdAt), desc(insertionOrder(db, maskingSessions))).limit(q.limit).offset(q.offset);
  const [total] = await db.select({ n: count() }).from(maskingSessions).where(where);
  const sessions: MaskingSessionView[] = [];
  for (const r of rows) sessions.push(await view(db, r));
  return { sessions, total: total?.n ?? 0 };
}

export async function getMaskingSession(db: Db, orgId: string, id: string): Promise<MaskingSessionView> {
  return view(db, await find(db, orgId, id));
}

/**
 * The active session between `did` and `firstPhone` (any format), the newest when there are several;
 * 404 when none is active (an ended session no longer knows its numbers).
 */
export async function findActiveSessionByParty(deps: Pick<MaskingDeps, 'adb' | 'config'>, orgId: string, did: string, firstPhone: string): Promise<MaskingSessionView> {
  const { adb: db, config } = deps;
  const { maskingSessions } = db.t;
  const number = await didField(db, orgId, did, config.DEFAULT_COUNTRY_CODE);
  const first = phoneField(firstPhone, 'first_number', config.DEFAULT_COUNTRY_CODE);
  const [row] = await db.select().from(maskingSessions)
    .where(and(eq(maskingSessions.orgId, orgId), eq(maskingSessions.did, number), eq(maskingSessions.firstPhone, first), eq(maskingSessions.status, 'active')))
    .orderBy(desc(maskingSessions.createdAt), desc(insertionOrder(db, maskingSessions))).limit(1);
  if (!row) throw new NotFoundError('No active masking session between this DID and first number');
  return view(db, row);
}

/** A new lifetime for an active session, counted from its start. */
export async function extendMaskingSession(deps: Pick<MaskingDeps, 'adb' | 'now'>, orgId: string, id: string, durationMinutes: number): Promise<MaskingSessionView> {
  const { adb: db, now } = deps;
  const { maskingSessions } = db.t;
  const row = await find(db, orgId, id);
  if (row.status !== 'active') throw new ConflictError(`Masking session is ${row.status}`);
  const expiresAt = new Date(Date.parse(row.createdAt) + durationMinutes * MIN).toISOString();
  // Still active when written (one conditional UPDATE): a session that ended meanwhile keeps its end.
  const written = affectedRows(await db.update(maskingSessions).set({ expiresAt, updatedAt: now().toISOString() })
    .where(and(eq(maskingSessions.id, id), eq(maskingSessions.status, 'active'))));
  const after = await find(db, orgId, id);
  if (written === 0) throw new ConflictError(`Masking session is ${after.status}`);
  return view(db, after);
}

/** Ends an active session (forgetting the pair) and hangs up its live calls. */
export async function cancelMaskingSession(deps: MaskingDeps, orgId: string, id: string): Promise<MaskingSessionView> {
  const { adb: db, now } = deps;
  const row = await find(db, orgId, id);
  if (row.status !== 'active') throw new ConflictError(`Masking session is already ${row.status}`);
  // Cancel first (forgetting the pair), then hang up: the call's own end must not report "ended".
  await endMaskingSession(db, id, 'cancelled', now().toISOString());
  const live = (await callsOf(db, id)).filter((call) => LIVE_STATUSES.includes(call.status as never));
  if (live.length > 0) {
    const control = callControl(deps.calls);
    for (const call of live) await control.hangup(orgId, call.id).catch((err: unknown) => {
      if (!(err instanceof CallNotLiveError)) throw err;
    });
  }
  return view(db, await find(db, orgId, id));
}

/** The session's calls, oldest first, each with its call log's duration. */
export async function maskingSessionCalls(db: Db, orgId: string, id: string): Promise<Array<{ call: OutboundRow; durationS: number | null }>> {
  await find(db, orgId, id);
  const { callLogs } = db.t;
  const out: Array<{ call: OutboundRow; durationS: number | null }> = [];
  for (const call of await callsOf(db, id)) {
    const [log] = await db.select({ durationS: callLogs.durationS }).from(callLogs).where(eq(callLogs.id, call.id)).limit(1);
    out.push({ call, durationS: log?.durationS ?? null });
  }
  return out;
}
