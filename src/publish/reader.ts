import { desc, eq, sql } from 'drizzle-orm';
import type { Db as AsyncDb } from '../db/handle.ts';
import type { DidRoutingType } from '../domain/destinations.ts';
import type { ConfigSnapshot, SnapshotDid } from './snapshot.ts';

export interface DidLookup {
  orgId: string;
  snapshot: ConfigSnapshot;
  did: SnapshotDid;
}

/** How the call controller, xml_curl and the simulator read published configuration. */
export interface AsyncSnapshotReader {
  /** The org and latest snapshot for a dialled E.164 number, or null when it is not live. */
  lookupDid(e164: string): Promise<DidLookup | null>;
  /** The org's latest published snapshot, or null when it never published. */
  latest(orgId: string): Promise<ConfigSnapshot | null>;
  /** The latest snapshot of every organization that has published (for callcenter.conf). */
  allLatest(): Promise<ConfigSnapshot[]>;
}

/**
 * Snapshots are immutable, so parsed ones are cached by row id in a bounded LRU map owned by this reader (not
 * module state: make one and keep it). Each lookup costs one indexed query for the latest version's id; a cache
 * miss is one awaited query more (reading and parsing the JSON). Returned snapshots are deep-frozen: a call can
 * hold on to one for its whole life (pinning) while newer versions get published.
 */
export function createAsyncSnapshotReader(db: AsyncDb, opts: { cacheSize?: number } = {}): AsyncSnapshotReader {
  const max = Math.max(1, opts.cacheSize ?? 64);
  const cache = new Map<string, ConfigSnapshot>();
  const { configSnapshots: cs, liveDids: ld } = db.t;

  const byId = async (id: string): Promise<ConfigSnapshot | null> => {
    const hit = cache.get(id);
    if (hit) {
      cache.delete(id);
      cache.set(id, hit);
      return hit;
    }
    const [row] = await db.select({ snapshot: cs.snapshot }).from(cs).where(eq(cs.id, id)).limit(1);
    if (!row) return null;
    const snap = cache.get(id) ?? deepFreeze(row.snapshot as ConfigSnapshot); // another lookup may have filled it meanwhile
    cache.set(id, snap);
    if (cache.size > max) cache.delete(cache.keys().next().value as string);
    return snap;
  };

  const latest = async (orgId: string): Promise<ConfigSnapshot | null> => {
    const [row] = await db.select({ id: cs.id }).from(cs).where(eq(cs.orgId, orgId)).orderBy(desc(cs.version)).limit(1);
    return row ? byId(row.id) : null;
  };

  return {
    latest,
    async lookupDid(e164) {
      const latestId = sql<string | null>`(select s.id from ${cs} s where s.org_id = ${ld.orgId} order by s.version desc limit 1)`;
      const [live] = await db
        .select({ number: ld.number, orgId: ld.orgId, didId: ld.didId, routingType: ld.routingType, routingDestination: ld.routingDestination, snapshotId: latestId })
        .from(ld).where(eq(ld.number, e164)).limit(1);
      if (!live) return null;
      const snapshot = live.snapshotId ? await byId(live.snapshotId) : null;
      if (!snapshot) return null;
      const did: SnapshotDid = snapshot.dids[e164] ?? Object.freeze({
        number: live.number, didId: live.didId, routingType: live.routingType as DidRoutingType, destination: live.routingDestination,
      });
      return { orgId: live.orgId, snapshot, did };
    },
    async allLatest() {
      const rows = await db
        .select({ id: cs.id })
        .from(cs)
        .where(sql`${cs.version} = (select max(s2.version) from ${cs} s2 where s2.org_id = ${cs.orgId})`)
        .orderBy(cs.orgId);
      const out: ConfigSnapshot[] = [];
      for (const r of rows) {
        const snap = await byId(r.id);
        if (snap) out.push(snap);
      }
      return out;
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
