/**
 * What FreeSWITCH fetches through mod_xml_curl: one SIP user of the directory, and mod_callcenter's
 * queues, agents and tiers. Both come from the published snapshots (the HTTP layer renders the XML).
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { agentRefusal } from '../human-agents/access.ts';
import { callcenterConfig, type CallcenterConfig } from '../../publish/callcenter.ts';
import type { AsyncSnapshotReader } from '../../publish/reader.ts';

export interface DirectoryUser {
  orgId: string;
  /** The org's SIP domain, lower case. */
  domain: string;
  number: string;
  name: string;
  sipPassword: string;
}

/**
 * One SIP user for mod_sofia (registration auth, user/<ext>@<domain> dialling). Passwords come
 * from the extensions table (they never enter snapshots), but only for extensions that are in
 * the org's latest published snapshot and enabled now — disabling takes effect at once. An agent's
 * extension is refused while the agent is disabled or past its expires_at (compared with `now` here,
 * before the expiry sweep runs). null: not ours, and FreeSWITCH then finds no such user, so a REGISTER
 * is answered 403 and dialling user/<ext> fails.
 */
export async function directoryUser(db: Db, snapshots: AsyncSnapshotReader, user: string, domain: string, now: Date): Promise<DirectoryUser | null> {
  if (!/^\d{4}$/.test(user) || domain === '') return null;
  const { agents, extensions, organizations } = db.t;
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.sipDomain, domain.toLowerCase())).limit(1);
  if (!org) return null;
  const published = await snapshots.latest(org.id);
  if (!published?.extensions[user]) return null;
  const [ext] = await db.select().from(extensions).where(and(eq(extensions.orgId, org.id), eq(extensions.number, user))).limit(1);
  if (!ext || !ext.enabled) return null;
  const [agent] = await db.select({ enabled: agents.enabled, expiresAt: agents.expiresAt }).from(agents).where(eq(agents.extensionId, ext.id)).limit(1);
  if (agent && agentRefusal(agent, now)) return null;
  return { orgId: org.id, domain: domain.toLowerCase(), number: ext.number, name: ext.name, sipPassword: ext.sipPassword };
}

/** mod_callcenter's view of every organization's latest published snapshot. */
export async function publishedCallcenterConfig(snapshots: AsyncSnapshotReader): Promise<CallcenterConfig> {
  return callcenterConfig(await snapshots.allLatest());
}
