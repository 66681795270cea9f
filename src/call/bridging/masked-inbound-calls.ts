/**
 * Database side of an inbound masked call (a party dialling the session's DID). Like placed masking
 * calls, it is an outbound_calls row of the session (same id as its call_logs row), holding masked
 * numbers only: the session's logs list it, GET /calls/{id} shows it, and cancel/expiry hang it up
 * (uuid_kill of its a-leg, the inbound channel).
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { setStatus } from '../../services/calls/call-store.ts';

export interface InboundMaskedCall {
  id: string;
  orgId: string;
  did: string;
  sessionId: string;
  callerMasked: string;
  otherMasked: string;
  aLegUuid: string;
  bLegUuid: string;
  /** The switch that has the inbound channel (cancel and expiry hang it up there). */
  switchId: string | null;
  startedAt: string;
}

export async function startInboundMaskedCall(db: Db, c: InboundMaskedCall): Promise<void> {
  await db.insert(db.t.outboundCalls).values({
    id: c.id, orgId: c.orgId, kind: 'masking', did: c.did, firstNumber: c.callerMasked, secondNumber: c.otherMasked,
    status: 'ringing', aLegUuid: c.aLegUuid, bLegUuid: c.bLegUuid, switchId: c.switchId, maskingSessionId: c.sessionId, startedAt: c.startedAt,
  });
}

export async function bridgedInboundMaskedCall(db: Db, id: string, at: string): Promise<void> {
  await setStatus(db, id, 'bridged', { answeredAt: at, bridgedAt: at });
}

export async function endInboundMaskedCall(db: Db, id: string, f: { bridged: boolean; at: string; cause: string | null }): Promise<void> {
  const { outboundCalls } = db.t;
  const [row] = await db.select({ status: outboundCalls.status }).from(outboundCalls).where(eq(outboundCalls.id, id)).limit(1);
  if (!row || row.status === 'ended' || row.status === 'failed') return;
  await setStatus(db, id, f.bridged ? 'ended' : 'failed', { endedAt: f.at, hangupCause: f.cause });
}
