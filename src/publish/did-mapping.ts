import { and, eq, isNotNull, notInArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { dids, liveDids } from '../db/schema/index.ts';

/**
 * Minimal DID → organization mapping writer (placeholder; the full publish module replaces it
 * and also writes a snapshot). Upserts a live_dids row for every routed number of the org and
 * removes the org's live rows for numbers no longer routed or owned.
 */
export function publishDidMapping(db: Db, orgId: string, opts: { actorId?: string }): { version: number | null; warnings: string[] } {
  void opts;
  const now = new Date().toISOString();
  db.transaction((tx) => {
    const routed = tx.select().from(dids).where(and(eq(dids.orgId, orgId), isNotNull(dids.routingType))).all();
    for (const d of routed) {
      const values = { orgId, didId: d.id, routingType: d.routingType!, routingDestination: d.routingDestination, updatedAt: now };
      tx.insert(liveDids).values({ number: d.number, ...values }).onConflictDoUpdate({ target: liveDids.number, set: values }).run();
    }
    const keep = routed.map((d) => d.number);
    tx.delete(liveDids).where(keep.length ? and(eq(liveDids.orgId, orgId), notInArray(liveDids.number, keep)) : eq(liveDids.orgId, orgId)).run();
  });
  return { version: null, warnings: [] };
}
