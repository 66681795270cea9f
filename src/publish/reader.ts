import { desc, eq, sql } from 'drizzle-orm';
import { sqliteOf, type Db } from '../db/client.ts';
import { configSnapshots } from '../db/schema/index.ts';
import type { DidRoutingType } from '../domain/destinations.ts';
import type { ConfigSnapshot, SnapshotDid } from './snapshot.ts';

export interface DidLookup {
  orgId: string;
  snapshot: ConfigSnapshot;
  did: SnapshotDid;
}

/** How the call controller (and xml_curl) read published configuration. */
export interface SnapshotReader {
  /** The org and latest snapshot for a dialled E.164 number, or null when it is not live. */
  lookupDid(e164: string): DidLookup | null;
  /** The org's latest published snapshot, or null when it never published. */
  latest(orgId: string): ConfigSnapshot | null;
  /** The latest snapshot of every organization that has published (for callcenter.conf). */
  allLatest(): ConfigSnapshot[];
}

/**
 * Snapshots are immutable, so parsed ones are cached by row id in a bounded LRU map owned
 * by this reader (not module state). Each lookup costs one indexed query for the latest
 * version's id; a cache hit avoids reading and parsing the JSON. Returned snapshots are
 * deep-frozen: a call can hold on to one for its whole life (pinning) while newer versions
 * get published.
 */
interface LiveRow {
  number: string;
  org_id: string;
  did_id: string;
  routing_type: string;
  routing_destination: string | null;
  snapshot_id: string | null;
}

export function createSnapshotReader(db: Db, opts: { cacheSize?: number } = {}): SnapshotReader {
  const max = Math.max(1, opts.cacheSize ?? 64);
  const cache = new Map<string, ConfigSnapshot>();

  const byId = (id: string): ConfigSnapshot | null => {
    const hit = cache.get(id);
    if (hit) {
      cache.delete(id);
      cache.set(id, hit);
      return hit;
    }
    const row = db.select({ snapshot: configSnapshots.snapshot }).from(configSnapshots).where(eq(configSnapshots.id, id)).get();
    if (!row) return null;
    const snap = deepFreeze(row.snapshot as ConfigSnapshot);
    cache.set(id, snap);
    if (cache.size > max) cache.delete(cache.keys().next().value as string);
    return snap;
  };

  const lookupStmt = sqliteOf(db).prepare(
    `select l.number, l.org_id, l.did_id, l.routing_type, l.routing_destination,
       (select s.id from config_snapshots s where s.org_id = l.org_id order by s.version desc limit 1) as snapshot_id
     from live_dids l where l.number = ?`,
  );
  const latestId = (orgId: string): string | null =>
    db.select({ id: configSnapshots.id }).from(configSnapshots).where(eq(configSnapshots.orgId, orgId))
      .orderBy(desc(configSnapshots.version)).limit(1).get()?.id ?? null;

  const latest = (orgId: string): ConfigSnapshot | null => {
    const id = latestId(orgId);
    return id ? byId(id) : null;
  };

  return {
    latest,
    lookupDid(e164) {
      // One indexed query: the live number and its organization's latest snapshot id.
      const live = lookupStmt.get(e164) as LiveRow | undefined;
      if (!live) return null;
      const snapshot = live.snapshot_id ? byId(live.snapshot_id) : null;
      if (!snapshot) return null;
      const did: SnapshotDid = snapshot.dids[e164] ?? Object.freeze({
        number: live.number, didId: live.did_id, routingType: live.routing_type as DidRoutingType, destination: live.routing_destination,
      });
      return { orgId: live.org_id, snapshot, did };
    },
    allLatest() {
      const rows = db
        .select({ id: configSnapshots.id })
        .from(configSnapshots)
        .where(sql`${configSnapshots.version} = (select max(s2.version) from ${configSnapshots} s2 where s2.org_id = ${configSnapshots.orgId})`)
        .orderBy(configSnapshots.orgId)
        .all();
      return rows.map((r) => byId(r.id)).filter((s): s is ConfigSnapshot => s !== null);
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
