/** Reading agents: the joined row every response is shaped from, one or a page. */
import { and, asc, count, eq, type SQL } from 'drizzle-orm';
import type { Db as AsyncDb } from '../../db/handle.ts';
import type { agents } from '../../db/schema/index.ts';
import { NotFoundError } from '../../domain/errors.ts';

export interface AgentView {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  enabled: boolean;
  disabled_reason: 'admin' | 'expired' | null;
  expires_at: string | null;
  user_id: string;
  extension: { id: string; number: string };
  /** The DID click-to-call shows for this agent; null when none (or it left the organization). */
  caller_id_did: { id: string; number: string } | null;
  createdAt: string;
  updatedAt: string;
}

type Joined = { agent: typeof agents.$inferSelect; email: string; name: string; extensionNumber: string; didNumber: string | null; didOrgId: string | null };

function toView(r: Joined): AgentView {
  const a = r.agent;
  // A DID released to the pool keeps the id here (set null happens only on delete): it is no caller ID any more.
  const did = a.callerIdDidId && r.didNumber && r.didOrgId === a.orgId ? { id: a.callerIdDidId, number: r.didNumber } : null;
  return {
    id: a.id, name: r.name, email: r.email, phone: a.phone, enabled: a.enabled, disabled_reason: a.enabled ? null : a.disabledReason,
    expires_at: a.expiresAt, user_id: a.userId, extension: { id: a.extensionId, number: r.extensionNumber }, caller_id_did: did,
    createdAt: a.createdAt, updatedAt: a.updatedAt,
  };
}

/** Agents joined with their login, extension and caller-ID DID (the row toView shapes). */
function joined(db: AsyncDb, where: (t: AsyncDb['t']) => SQL | undefined) {
  const { agents: a, users: u, extensions: e, dids: d } = db.t;
  const cols = { agent: a, email: u.email, name: u.name, extensionNumber: e.number, didNumber: d.number, didOrgId: d.orgId };
  return db.select(cols).from(a)
    .innerJoin(u, eq(u.id, a.userId))
    .innerJoin(e, eq(e.id, a.extensionId))
    .leftJoin(d, eq(d.id, a.callerIdDidId))
    .where(where(db.t));
}

export async function findAgent(db: AsyncDb, orgId: string, id: string): Promise<AgentView> {
  const [row] = await joined(db, (t) => and(eq(t.agents.id, id), eq(t.agents.orgId, orgId))).limit(1);
  if (!row) throw new NotFoundError('Agent not found');
  return toView(row);
}

export async function listAgents(db: AsyncDb, orgId: string, q: { limit: number; offset: number; enabled?: boolean | undefined }): Promise<{ agents: AgentView[]; total: number }> {
  const { agents: a, extensions: e } = db.t;
  const where = and(eq(a.orgId, orgId), ...(q.enabled === undefined ? [] : [eq(a.enabled, q.enabled)]));
  const rows = await joined(db, () => where).orderBy(asc(e.number)).limit(q.limit).offset(q.offset);
  const [total] = await db.select({ n: count() }).from(a).where(where);
  return { agents: rows.map(toView), total: total?.n ?? 0 };
}

/** Owners of the organization's extensions (agent id, name, email), by extension id. */
export async function ownersByExtension(db: AsyncDb, orgId: string): Promise<Map<string, { agent_id: string; user_id: string; name: string; email: string; enabled: boolean }>> {
  const { agents: a, users: u } = db.t;
  const rows = await db.select({ extensionId: a.extensionId, agentId: a.id, userId: u.id, name: u.name, email: u.email, enabled: a.enabled })
    .from(a).innerJoin(u, eq(u.id, a.userId)).where(eq(a.orgId, orgId));
  return new Map(rows.map((r) => [r.extensionId, { agent_id: r.agentId, user_id: r.userId, name: r.name, email: r.email, enabled: r.enabled }]));
}

/** The caller-ID DID number of the agent on extension `extNumber`, or null. */
export async function agentCallerIdNumber(db: AsyncDb, orgId: string, extNumber: string): Promise<string | null> {
  const { agents: a, extensions: e, dids: d } = db.t;
  const [row] = await db.select({ number: d.number }).from(a)
    .innerJoin(e, eq(e.id, a.extensionId))
    .innerJoin(d, and(eq(d.id, a.callerIdDidId), eq(d.orgId, orgId)))
    .where(and(eq(a.orgId, orgId), eq(e.number, extNumber))).limit(1);
  return row?.number ?? null;
}

/** The agent on extension `extNumber`, or null. */
export async function findAgentByExtension(db: AsyncDb, orgId: string, extNumber: string): Promise<AgentView | null> {
  const [row] = await joined(db, (t) => and(eq(t.agents.orgId, orgId), eq(t.extensions.number, extNumber))).limit(1);
  return row ? toView(row) : null;
}

/** Every agent of the organization by its extension number (for shaping call logs: who answered, their phone). */
export async function agentsByExtensionNumber(db: AsyncDb, orgId: string): Promise<Map<string, AgentView>> {
  return new Map((await joined(db, (t) => eq(t.agents.orgId, orgId))).map((r) => [r.extensionNumber, toView(r)]));
}

/** The agent whose login is user `userId`, or null (an admin, or an API key's id). */
export async function findAgentByUser(db: AsyncDb, orgId: string, userId: string): Promise<AgentView | null> {
  const [row] = await joined(db, (t) => and(eq(t.agents.orgId, orgId), eq(t.agents.userId, userId))).limit(1);
  return row ? toView(row) : null;
}
