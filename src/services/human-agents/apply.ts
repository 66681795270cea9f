/**
 * After an agent's state changes: its extension's `enabled` goes live (a new snapshot version with only
 * that changed) and mod_callcenter is told (a disabled agent's tiers are removed). A switch that is away
 * or refuses is a warning, never a failure: the directory already refuses a disabled agent.
 */
import type { Db } from '../../db/handle.ts';
import type { Logger } from '../../runtime/logger.ts';
import { switchChanges, type SwitchControl } from '../../publish/callcenter.ts';
import { publishExtensionStates } from '../../publish/extension-state.ts';

export interface ApplyDeps {
  /** The async handle (src/db/handle.ts), SQLite or PostgreSQL. */
  adb: Db;
  switchControl: SwitchControl;
  logger: Logger;
  now: () => Date;
}

export async function applyExtensionStates(deps: ApplyDeps, orgId: string, actorId: string | null): Promise<{ version: number | null; warnings: string[] }> {
  const result = await publishExtensionStates(deps.adb, orgId, { actorId, now: deps.now() });
  if (!result.changed || !result.snapshot) return { version: result.version, warnings: [] };
  const warnings: string[] = [];
  try {
    const applied = await deps.switchControl.applyPublished(switchChanges(result.snapshot, result.previous));
    warnings.push(...applied.errors.map((e) => `FreeSWITCH: ${e}`));
  } catch (err) {
    warnings.push(`FreeSWITCH: ${err instanceof Error ? err.message : String(err)}`);
  }
  for (const w of warnings) deps.logger.warn({ orgId, version: result.version }, w);
  return { version: result.version, warnings };
}
