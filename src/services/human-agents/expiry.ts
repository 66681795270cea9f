/**
 * The expiry sweep: agents whose expires_at has passed are disabled (reason `expired`) with their
 * extensions, and each organization touched gets its extension states applied (apply.ts). The UPDATE
 * only matches agents still enabled, so it is idempotent and needs no lease: instances sharing the
 * database may all run it, and the one whose UPDATE matched applies the change. Login and the directory
 * compare expires_at with now themselves (access.ts), so nobody waits for the sweep to be refused.
 */
import { and, eq, inArray, isNotNull, lte } from 'drizzle-orm';
import { transaction, type Db } from '../../db/handle.ts';
import { applyExtensionStates, type ApplyDeps } from './apply.ts';

/** Disables what expired by `now`; returns the agents disabled, by organization. */
export async function expireAgents(db: Db, now: Date): Promise<Map<string, string[]>> {
  const at = now.toISOString();
  const expired = await transaction(db, async (tx) => {
    const { agents, extensions } = tx.t;
    // expires_at is stored as toISOString() (UTC, fixed width), so text order is time order. One conditional
    // UPDATE: on PostgreSQL a concurrent sweep's rows are re-checked after its commit and no longer match.
    const rows = await tx.update(agents).set({ enabled: false, disabledReason: 'expired', updatedAt: at })
      .where(and(eq(agents.enabled, true), isNotNull(agents.expiresAt), lte(agents.expiresAt, at)))
      .returning({ id: agents.id, orgId: agents.orgId, extensionId: agents.extensionId });
    if (rows.length > 0) {
      await tx.update(extensions).set({ enabled: false, updatedAt: at }).where(inArray(extensions.id, rows.map((r) => r.extensionId)));
    }
    return rows;
  });
  const byOrg = new Map<string, string[]>();
  for (const r of expired) byOrg.set(r.orgId, [...(byOrg.get(r.orgId) ?? []), r.id]);
  return byOrg;
}

export interface AgentExpiry {
  /** One sweep now (the timer calls it; tests call it with their clock). */
  runOnce(): Promise<Map<string, string[]>>;
  start(): void;
  stop(): void;
}

export function createAgentExpiry(deps: ApplyDeps & { intervalMs: number }): AgentExpiry {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const runOnce = async (): Promise<Map<string, string[]>> => {
    const byOrg = await expireAgents(deps.adb, deps.now());
    for (const [orgId, ids] of byOrg) {
      deps.logger.info({ orgId, agents: ids }, 'agents expired: disabled with their extensions');
      await applyExtensionStates(deps, orgId, null);
    }
    return byOrg;
  };
  const tick = (): void => {
    if (running) return; // a slow switch never stacks sweeps
    running = runOnce()
      .catch((err: unknown) => deps.logger.error({ err }, 'agent expiry sweep failed'))
      .finally(() => { running = undefined; });
  };
  return {
    runOnce,
    start() {
      if (timer) return;
      tick(); // agents that expired while no instance ran are disabled at start, not one interval later
      timer = setInterval(tick, deps.intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
