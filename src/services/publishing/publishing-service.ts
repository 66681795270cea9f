/**
 * Publishing through the API: compile and publish the whole organization (src/publish does the work),
 * apply the result to the switch, and read the published versions.
 */
import { and, eq } from 'drizzle-orm';
import { soundsDir, type Config } from '../../runtime/env.ts';
import type { Db } from '../../db/handle.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { publish, type PublishResult } from '../../publish/publish.ts';
import type { Problem } from '../../publish/compile.ts';
import { switchChanges, type SwitchControl } from '../../publish/callcenter.ts';
import type { ConfigSnapshot } from '../../publish/snapshot.ts';
import { snapshotByVersion } from '../../publish/store.ts';
import { listVersions, type VersionInfo } from '../../publish/versions.ts';

export interface PublishingDeps {
  adb: Db;
  config: Pick<Config, 'SOUNDS_DIR' | 'DATA_DIR'>;
  switchControl: SwitchControl;
  now: () => Date;
}

/**
 * Publishes the organization of IVR `ivrId` (404 when it is not the org's) and applies the queues to the
 * switch; what the switch refused becomes a `switch_error` warning, never a failure.
 */
export async function publishOrganization(
  deps: PublishingDeps,
  actor: { orgId: string; id: string },
  ivrId: string,
): Promise<{ result: PublishResult; warnings: Problem[] }> {
  const { adb: db, config, switchControl, now } = deps;
  const { ivrs } = db.t;
  const [ivr] = await db.select({ id: ivrs.id }).from(ivrs).where(and(eq(ivrs.id, ivrId), eq(ivrs.orgId, actor.orgId))).limit(1);
  if (!ivr) throw new NotFoundError('IVR not found');

  const result = await publish(db, actor.orgId, { actorId: actor.id, soundsDir: soundsDir(config), now: now() });
  const warnings: Problem[] = [...result.warnings];
  try {
    const applied = await switchControl.applyPublished(switchChanges(result.snapshot, result.changed ? result.previous : result.snapshot));
    for (const e of applied.errors) warnings.push({ code: 'switch_error', message: `FreeSWITCH: ${e}`, path: 'switch' });
  } catch (err) {
    warnings.push({ code: 'switch_error', message: `FreeSWITCH: ${err instanceof Error ? err.message : String(err)}`, path: 'switch' });
  }
  return { result, warnings };
}

/** The org's published versions, newest first. */
export function publishedVersions(db: Db, orgId: string, limit: number): Promise<VersionInfo[]> {
  return listVersions(db, orgId, limit);
}

/** One published version's snapshot; 404 when the org has no such version. */
export async function publishedVersion(db: Db, orgId: string, version: number): Promise<ConfigSnapshot> {
  const snap = await snapshotByVersion(db, orgId, version);
  if (!snap) throw new NotFoundError(`Configuration version ${version} not found`);
  return snap;
}
