/** Database side of placed calls: the outbound_calls row and its call_logs row (same id = the `logid`). */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { PlacedKind, PlacedSpec } from './placed-spec.ts';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as schema from '../../db/schema/index.ts';
import { affectedRows, type Db as AsyncDb } from '../../db/handle.ts';
import { outboundCalls } from '../../db/schema/index.ts';
import { callDurationS } from '../../domain/call-duration.ts';

export type OutboundRow = typeof outboundCalls.$inferSelect;
export type OutboundStatus = 'scheduled' | 'dialing' | 'ringing' | 'answered' | 'bridged' | 'ended' | 'failed' | 'cancelled';
export const LIVE_STATUSES: OutboundStatus[] = ['dialing', 'ringing', 'answered', 'bridged'];

export interface NewCall {
  orgId: string;
  did: string;
  kind: 'click_to_call' | 'two_party' | 'masking' | PlacedKind;
  /** Click-to-call: null (the agent is extNo). Flow, tts and bot calls: the customer. */
  first: string | null;
  /** Flow, tts and bot calls: null (one party). */
  second: string | null;
  /** Flow, tts and bot calls: what the controller plays once the customer answers. */
  spec?: PlacedSpec | null;
  /** A dialer campaign's call: its campaign and number. */
  campaignId?: string | null;
  campaignNumberId?: string | null;
  extNo?: string | null;
  intro?: string | null;
  scheduledAt?: number | null;
  timezone?: string | null;
  maskingSessionId?: string | null;
}

/**
 * insertOutbound (below) on a synchronous drizzle handle over the raw SQLite connection: the dialer's SQLite claim
 * stores its calls inside one synchronous IMMEDIATE transaction (src/services/campaigns/dialer-store.ts).
 */
export function insertOutboundSqlite(db: BetterSQLite3Database<typeof schema>, call: NewCall, status: 'scheduled' | 'dialing'): OutboundRow {
  return db.insert(outboundCalls).values({
    orgId: call.orgId, kind: call.kind, did: call.did, extNo: call.extNo ?? null,
    firstNumber: call.first, secondNumber: call.second, intro: call.intro ?? null, spec: call.spec ?? null,
    status, aLegUuid: randomUUID(), bLegUuid: randomUUID(),
    maskingSessionId: call.maskingSessionId ?? null, scheduledAt: call.scheduledAt ?? null, timezone: call.timezone ?? null,
    campaignId: call.campaignId ?? null, campaignNumberId: call.campaignNumberId ?? null,
  }).returning().get();
}

export async function getOutbound(db: AsyncDb, id: string): Promise<OutboundRow | undefined> {
  const { outboundCalls } = db.t;
  return (await db.select().from(outboundCalls).where(eq(outboundCalls.id, id)).limit(1))[0];
}

export async function getOutboundInOrg(db: AsyncDb, orgId: string, id: string): Promise<OutboundRow | undefined> {
  const { outboundCalls } = db.t;
  return (await db.select().from(outboundCalls).where(and(eq(outboundCalls.id, id), eq(outboundCalls.orgId, orgId))).limit(1))[0];
}

export async function liveOutbound(db: AsyncDb): Promise<OutboundRow[]> {
  const { outboundCalls } = db.t;
  return db.select().from(outboundCalls).where(inArray(outboundCalls.status, LIVE_STATUSES));
}

export async function setStatus(db: AsyncDb, id: string, status: OutboundStatus, extra: Partial<OutboundRow> = {}): Promise<void> {
  const { outboundCalls } = db.t;
  await db.update(outboundCalls).set({ ...extra, status, updatedAt: new Date().toISOString() }).where(eq(outboundCalls.id, id));
}

/** Stores a call to place: `scheduled` (the scheduler dials it), or `dialing` (claimed: dialled next by whoever stored it). */
export async function insertOutbound(db: AsyncDb, call: NewCall, status: 'scheduled' | 'dialing'): Promise<OutboundRow> {
  const { outboundCalls } = db.t;
  const [row] = await db.insert(outboundCalls).values({
    orgId: call.orgId, kind: call.kind, did: call.did, extNo: call.extNo ?? null,
    firstNumber: call.first, secondNumber: call.second, intro: call.intro ?? null, spec: call.spec ?? null,
    status, aLegUuid: randomUUID(), bLegUuid: randomUUID(),
    maskingSessionId: call.maskingSessionId ?? null, scheduledAt: call.scheduledAt ?? null, timezone: call.timezone ?? null,
    campaignId: call.campaignId ?? null, campaignNumberId: call.campaignNumberId ?? null,
  }).returning();
  return row!;
}

/** Claims a scheduled row for dialing; false when another pass (or process) got it first or it was cancelled. One conditional UPDATE: one claimer wins on both databases. */
export async function claimScheduled(db: AsyncDb, id: string): Promise<boolean> {
  const { outboundCalls } = db.t;
  return affectedRows(await db.update(outboundCalls).set({ status: 'dialing', updatedAt: new Date().toISOString() })
    .where(and(eq(outboundCalls.id, id), eq(outboundCalls.status, 'scheduled')))) === 1;
}

export async function startCallLog(db: AsyncDb, row: OutboundRow, startedAt: string, switchId: string | null): Promise<void> {
  const { callLogs } = db.t;
  await db.insert(callLogs).values({
    id: row.id,
    callUuid: row.aLegUuid,
    switchId,
    orgId: row.orgId,
    direction: row.kind,
    did: row.did,
    caller: row.kind === 'click_to_call' ? row.secondNumber : row.firstNumber,
    callerName: null,
    startedAt,
    path: [],
    dtmf: '',
  }).onConflictDoNothing();
}

export async function answerCallLog(db: AsyncDb, id: string, answeredAt: string, answeredBy: string | null): Promise<void> {
  const { callLogs } = db.t;
  await db.update(callLogs).set({ answeredAt, answeredBy }).where(eq(callLogs.id, id));
}

export async function finishCallLog(db: AsyncDb, id: string, f: { endedAt: string; startedAt: string; cause: string | null; disposition: string; path: unknown[] }): Promise<void> {
  const { callLogs } = db.t;
  const duration = callDurationS(f.startedAt, f.endedAt);
  await db.update(callLogs).set({ endedAt: f.endedAt, durationS: duration, hangupCause: f.cause, disposition: f.disposition, path: f.path })
    .where(eq(callLogs.id, id));
}
