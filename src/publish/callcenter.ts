import type { ConfigSnapshot } from './snapshot.ts';

/**
 * mod_callcenter's view of published snapshots: queues, agents (one per extension that is
 * an agent of some queue) and tiers. Shared by callcenter.conf (xml_curl) and the run-time
 * switch update after a publish, so both always agree.
 */
export interface CallcenterQueue {
  name: string;
  strategy: string;
  mohSound: string;
  maxWaitTime: number;
  tierRulesApply: boolean;
  discardAbandonedAfter: number;
}
export interface CallcenterAgent { name: string; contact: string }
export interface CallcenterTier { queue: string; agent: string; level: number; position: number }
export interface CallcenterConfig { queues: CallcenterQueue[]; agents: CallcenterAgent[]; tiers: CallcenterTier[] }

export const AGENT_LEG_TIMEOUT_S = 20;

export const agentName = (extension: string, domain: string) => `${extension}@${domain}`;
export const agentContact = (extension: string, domain: string) => `[leg_timeout=${AGENT_LEG_TIMEOUT_S}]user/${extension}@${domain}`;

export function callcenterConfig(snapshots: readonly ConfigSnapshot[]): CallcenterConfig {
  const out: CallcenterConfig = { queues: [], agents: [], tiers: [] };
  const seenAgents = new Set<string>();
  for (const s of snapshots) {
    for (const q of Object.values(s.queues)) {
      out.queues.push({
        name: q.fsName,
        strategy: q.strategy ?? 'longest-idle-agent',
        mohSound: q.mohSound ?? 'local_stream://moh',
        maxWaitTime: q.maxWaitTime,
        tierRulesApply: q.tierRulesApply ?? false,
        discardAbandonedAfter: q.discardAbandonedAfter ?? 60,
      });
      for (const a of q.agents ?? []) {
        if (s.extensions[a.extension]?.enabled === false) continue;
        const name = agentName(a.extension, s.sipDomain);
        if (!seenAgents.has(name)) {
          seenAgents.add(name);
          out.agents.push({ name, contact: agentContact(a.extension, s.sipDomain) });
        }
        out.tiers.push({ queue: q.fsName, agent: name, level: a.level, position: a.position });
      }
    }
  }
  return out;
}

/**
 * What the management API asks of the switch after a publish (src/switch/switch-control.ts implements it
 * over the inbound ESL client).
 */
export interface SwitchControl {
  /** Apply queue definitions: `callcenter_config queue load|reload <name>` per queue, then `reloadxml`. */
  applyPublished(input: PublishedSwitchChanges): Promise<{ applied: boolean; errors: string[] }>;
}

export interface PublishedSwitchChanges {
  queueNames: string[];
  removedQueueNames: string[];
  /**
   * mod_callcenter reads agents and tiers from XML only when the module loads, so a publish
   * adds/updates them at run time. Optional: without them only queues are (re)loaded.
   */
  agents?: Array<{ name: string; contact: string }>;
  tiers?: Array<{ queue: string; agent: string; level: number; position: number }>;
  removedTiers?: Array<{ queue: string; agent: string }>;
}

/** What to tell the switch after publishing `next` over `previous`. */
export function switchChanges(next: ConfigSnapshot, previous: ConfigSnapshot | null): PublishedSwitchChanges {
  const now = callcenterConfig([next]);
  const before = previous ? callcenterConfig([previous]) : { queues: [], agents: [], tiers: [] };
  const queueNames = now.queues.map((q) => q.name);
  const key = (t: { queue: string; agent: string }) => `${t.queue}|${t.agent}`;
  const tierKeys = new Set(now.tiers.map(key));
  return {
    queueNames,
    removedQueueNames: before.queues.map((q) => q.name).filter((n) => !queueNames.includes(n)),
    agents: now.agents,
    tiers: now.tiers,
    removedTiers: before.tiers.filter((t) => !tierKeys.has(key(t)) && queueNames.includes(t.queue)).map(({ queue, agent }) => ({ queue, agent })),
  };
}
