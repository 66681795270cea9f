import { eq } from 'drizzle-orm';
import { transaction, type Db } from '../db/handle.ts';
import type { ConfigSnapshot, DraftSnapshot } from './snapshot.ts';
import { latestSnapshot, lockOrgVersions, withVersionRetry, writeVersion } from './store.ts';

export interface ExtensionStateResult {
  /** null: the org never published (calls cannot reach its extensions yet, so nothing to change). */
  version: number | null;
  changed: boolean;
  snapshot: ConfigSnapshot | null;
  previous: ConfigSnapshot | null;
}

/**
 * Enabling or disabling an extension goes live at once, like DID routing (did-mapping.ts): the latest
 * published snapshot gets every extension's current `enabled` and is written as a new version when that
 * changes anything. Nothing else of the draft is published, so an agent switched off does not publish an
 * admin's half-edited IVR. Calls read `extensions[n].enabled` from the snapshot they pin.
 */
export function publishExtensionStates(db: Db, orgId: string, opts: { actorId?: string | null; now: Date }): Promise<ExtensionStateResult> {
  return withVersionRetry(() =>
    transaction(db, async (tx) => {
      await lockOrgVersions(tx, orgId);
      const latest = await latestSnapshot(tx, orgId);
      if (!latest) return { version: null, changed: false, snapshot: null, previous: null };
      const { extensions } = tx.t;
      const enabled = new Map(
        (await tx.select({ number: extensions.number, enabled: extensions.enabled }).from(extensions).where(eq(extensions.orgId, orgId)))
          .map((r) => [r.number, r.enabled]),
      );
      const { version: _v, publishedAt: _p, ...base } = latest.snapshot;
      const patched: DraftSnapshot['extensions'] = {};
      // An extension deleted since the publish keeps its published entry: deleting is not this step's business.
      for (const [number, ext] of Object.entries(base.extensions)) patched[number] = { ...ext, enabled: enabled.get(number) ?? ext.enabled };
      const written = await writeVersion(tx, orgId, { ...base, extensions: patched }, { actorId: opts.actorId ?? null, now: opts.now, latest });
      return { version: written.version, changed: written.changed, snapshot: written.snapshot, previous: written.previous };
    }),
  );
}
