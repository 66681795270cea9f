import { UnprocessableError } from '../domain/errors.ts';
import type { Db } from '../db/client.ts';
import { compile, type Problem } from './compile.ts';
import type { ConfigSnapshot } from './snapshot.ts';
import { rewriteLiveDids, withVersionRetry, writeVersion } from './store.ts';

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
 * version and points the org's live DIDs at it — all in one (immediate) transaction, so
 * two instances publishing at once serialize; a lost version race is retried once.
 * Throws UnprocessableError (422) listing every problem; then nothing is written.
 */
export function publish(
  db: Db,
  orgId: string,
  opts: { actorId?: string | null; soundsDir: string; now?: Date },
): PublishResult {
  const now = opts.now ?? new Date();
  return withVersionRetry(() =>
    db.transaction(
      (tx) => {
        const { snapshot: content, problems, warnings } = compile(tx, orgId, { soundsDir: opts.soundsDir });
        if (problems.length > 0) {
          throw new UnprocessableError(`Configuration has ${problems.length} problem(s); nothing was published`, { problems, warnings });
        }
        const written = writeVersion(tx, orgId, content, { actorId: opts.actorId ?? null, now });
        if (written.changed) rewriteLiveDids(tx, orgId, written.snapshot.dids, now);
        const queueNames = Object.values(written.snapshot.queues).map((q) => q.fsName).sort();
        const removedQueueNames = written.changed ? removedQueues(written.previous, written.snapshot) : [];
        return { version: written.version, changed: written.changed, warnings, queueNames, removedQueueNames, snapshot: written.snapshot, previous: written.previous };
      },
      { behavior: 'immediate' },
    ),
  );
}

function removedQueues(previous: ConfigSnapshot | null, next: ConfigSnapshot): string[] {
  if (!previous) return [];
  const now = new Set(Object.values(next.queues).map((q) => q.fsName));
  return Object.values(previous.queues).map((q) => q.fsName).filter((n) => !now.has(n)).sort();
}
