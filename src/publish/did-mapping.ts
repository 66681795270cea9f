import { eq } from 'drizzle-orm';
import { transaction, type Db as AsyncDb } from '../db/handle.ts';
import { NotFoundError } from '../domain/errors.ts';
import { isUuid, type DidRoutingType } from '../domain/destinations.ts';
import type { ConfigSnapshot, DraftSnapshot, SnapshotDid } from './snapshot.ts';
import { latestSnapshot, lockOrgVersions, rewriteLiveDids, withVersionRetry, writeVersion } from './store.ts';

/**
 * DID routing goes live at once (no full publish): the latest published snapshot — or an
 * empty one — gets the org's current DID routing as its `dids` section and is written as a
 * new version when that changes anything; live_dids follows. Warnings name DIDs that point
 * at something the published snapshot does not contain yet. One transaction (the org's version
 * bump serialized by lockOrgVersions on PostgreSQL).
 * `version` is null only when the org has never published and has no routed DIDs.
 */
export function publishDidMapping(
  db: AsyncDb,
  orgId: string,
  opts: { actorId?: string; now?: Date },
): Promise<{ version: number | null; warnings: string[] }> {
  const now = opts.now ?? new Date();
  return withVersionRetry(() =>
    transaction(db, async (tx) => {
      await lockOrgVersions(tx, orgId);
      const { organizations, dids: d } = tx.t;
      const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
      if (!org) throw new NotFoundError('Organization not found');
      const latest = await latestSnapshot(tx, orgId);
      const base: DraftSnapshot = latest ? withoutVersion(latest.snapshot) : {
        schema: 1, orgId, orgName: org.name, sipDomain: org.sipDomain, ivrs: {}, extensions: {}, queues: {}, agents: {}, dids: {},
      };
      const didMap: Record<string, SnapshotDid> = {};
      for (const row of await tx.select().from(d).where(eq(d.orgId, orgId))) {
        if (row.status !== 'active' || !row.routingType) continue;
        didMap[row.number] = { number: row.number, didId: row.id, routingType: row.routingType as DidRoutingType, destination: row.routingDestination ?? null };
      }
      const warnings = Object.values(didMap).flatMap((x) => unpublishedTarget(base, x));
      if (!latest && Object.keys(didMap).length === 0) return { version: null, warnings };

      const written = await writeVersion(tx, orgId, { ...base, dids: didMap }, { actorId: opts.actorId ?? null, now, latest });
      if (written.changed) await rewriteLiveDids(tx, orgId, written.snapshot.dids, now);
      return { version: written.version, warnings };
    }),
  );
}

function withoutVersion(s: ConfigSnapshot): DraftSnapshot {
  const { version: _v, publishedAt: _p, ...rest } = s;
  return rest;
}

function unpublishedTarget(s: DraftSnapshot, d: SnapshotDid): string[] {
  const v = d.destination ?? '';
  const hint = 'publish to make it live';
  switch (d.routingType) {
    case 'ivr':
      return s.ivrs[v] ? [] : [`DID ${d.number}: IVR ${v} is not published yet: ${hint}`];
    case 'queue':
      return s.queues[v] ? [] : [`DID ${d.number}: queue ${v} is not published yet: ${hint}`];
    case 'extension':
    case 'intercom':
      return s.extensions[v] ? [] : [`DID ${d.number}: extension ${v} is not published yet: ${hint}`];
    case 'time_condition':
      return s.schedules?.[v] ? [] : [`DID ${d.number}: business-hours schedule ${v} is not published yet: ${hint}`];
    case 'ai_agent':
      return !isUuid(v) || s.agents[v] ? [] : [`DID ${d.number}: AI agent ${v} is not published yet: ${hint}`];
    default:
      return [];
  }
}
