import { eq } from 'drizzle-orm';
import { callLogs } from '../db/schema/index.ts';
import type { CallSession } from './session.ts';

/** The row is written when the call arrives, so a crash mid-call still leaves a trace. */
export function insertCallLog(session: CallSession, startedAt: string): void {
  session.deps.db
    .insert(callLogs)
    .values({
      id: session.callId,
      callUuid: session.uuid,
      orgId: session.orgId,
      direction: 'inbound',
      did: session.did,
      caller: session.caller,
      callerName: session.channel.callerIdName || null,
      startedAt,
    })
    .run();
}

/** Final write, from the runner's teardown. */
export function finishCallLog(session: CallSession, startedAt: string, endedAt: string, hangupCause: string | null): void {
  const r = session.record;
  session.deps.db
    .update(callLogs)
    .set({
      orgId: session.orgId,
      answeredAt: r.answeredAt,
      endedAt,
      durationS: Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000)),
      path: r.path,
      dtmf: r.dtmf,
      disposition: r.disposition,
      answeredBy: r.answeredBy,
      hangupCause,
      snapshotVersion: session.snapshot?.version ?? null,
    })
    .where(eq(callLogs.id, session.callId))
    .run();
}
