/**
 * A number's live status: how it is routed (the organization's setting), whether calls reach that
 * routing now (the live mapping, live_dids, and the snapshot version inbound calls pin), and its last call.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import type { ConfigSnapshot } from '../../publish/snapshot.ts';
import { findOrgDid } from './did-service.ts';

export interface DidStatus {
  id: string;
  number: string;
  routed: { type: string; destination: string | null } | null;
  published: { live: boolean; routing: { type: string; destination: string | null } | null; version: number | null; in_sync: boolean };
  last_call: { at: string; call_id: string; caller: string | null; outcome: string | null } | null;
}

export async function didStatus(db: Db, orgId: string, id: string): Promise<DidStatus> {
  const { callLogs, configSnapshots, liveDids } = db.t;
  const did = await findOrgDid(db, orgId, id);
  const routed = did.routingType ? { type: did.routingType, destination: did.routingDestination } : null;
  const [live] = await db.select().from(liveDids).where(and(eq(liveDids.number, did.number), eq(liveDids.orgId, orgId))).limit(1);
  const [latest] = await db.select({ version: configSnapshots.version, snapshot: configSnapshots.snapshot }).from(configSnapshots)
    .where(eq(configSnapshots.orgId, orgId)).orderBy(desc(configSnapshots.version)).limit(1);
  // Calls take the routing from the org's latest snapshot (reader.ts lookupDid): that version is the one serving it.
  const inSnapshot = live && latest ? Boolean((latest.snapshot as ConfigSnapshot).dids[did.number]) : false;
  const liveRouting = live ? { type: live.routingType, destination: live.routingDestination } : null;
  const [last] = await db.select({ id: callLogs.id, at: callLogs.startedAt, caller: callLogs.caller, outcome: callLogs.disposition }).from(callLogs)
    .where(and(eq(callLogs.orgId, orgId), eq(callLogs.did, did.number))).orderBy(desc(callLogs.startedAt)).limit(1);
  return {
    id: did.id,
    number: did.number,
    routed,
    published: {
      live: Boolean(live),
      routing: liveRouting,
      version: inSnapshot ? latest!.version : null,
      in_sync: (routed === null && !live) || (routed !== null && liveRouting?.type === routed.type && liveRouting.destination === routed.destination),
    },
    last_call: last ? { at: last.at, call_id: last.id, caller: last.caller, outcome: last.outcome } : null,
  };
}
