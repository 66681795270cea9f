import { UnprocessableError } from '../domain/errors.ts';
import { transaction, type Db as AsyncDb } from '../db/handle.ts';
import { compile, type Problem } from './compile.ts';
import type { ConfigSnapshot } from './snapshot.ts';
import { lockOrgVersions, rewriteLiveDids, withVersionRetry, writeVersion } from './store.ts';

export interface PublishResult {
  version: number;
  /** false when the draft equals the latest published version (nothing was written). */
  changed: boolean;
  warnings: Problem[];
  /** mod_callcenter names (<number>@<domain>) of the published queues. */
  queueNames: string[];
  /** Queues in the previous version that are gone now. */
  removedQueueNames: string[];
  snapshot: ConfigSnapshot;
  previous: ConfigSnapshot | null;
}

/**
 * Compiles the org's draft and, when it has no problems, stores it as the next immutable
 * version and points the org's live DIDs at it — all in one transaction (the org's version bump
 * serialized by lockOrgVersions on PostgreSQL, BEGIN IMMEDIATE on SQLite); a lost version race is
 * retried once. Throws UnprocessableError (422) listing every problem; then nothing is written.
 */
export function publish(
  db: AsyncDb,
  orgId: string,
  opts: { actorId?: string | null; soundsDir: string; now?: Date },
): Promise<PublishResult> {
  const now = opts.now ?? new Date();
  return withVersionRetry(() =>
    transaction(db, async (tx) => {
      await lockOrgVersions(tx, orgId);
      const { snapshot: content, problems, warnings } = await compile(tx, orgId, { soundsDir: opts.soundsDir });
      if (problems.length > 0) {
        throw new UnprocessableError(`Configuration has ${problems.length} problem(s); nothing was published`, { problems, warnings });
      }
      const written = await writeVersion(tx, orgId, content, { actorId: opts.actorId ?? null, now });
      if (written.changed) await rewriteLiveDids(tx, orgId, written.snapshot.dids, now);
      const queueNames = Object.values(written.snapshot.queues).map((q) => q.fsName).sort();
      const removedQueueNames = written.changed ? removedQueues(written.previous, written.snapshot) : [];
      return { version: written.version, changed: written.changed, warnings, queueNames, removedQueueNames, snapshot: written.snapshot, previous: written.previous };
    }),
  );
}

function removedQueues(previous: ConfigSnapshot | null, next: ConfigSnapshot): string[] {
  if (!previous) return [];
  const now = new Set(Object.values(next.queues).map((q) => q.fsName));
  return Object.values(previous.queues).map((q) => q.fsName).filter((n) => !now.has(n)).sort();
}
