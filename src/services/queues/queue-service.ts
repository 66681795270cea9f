import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { extensions, organizations, queueAgents, queues } from '../../db/schema/index.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { AgentInput, QUEUE_STRATEGIES } from '../../http/routes/queues/routes.ts';

type QueueRow = typeof queues.$inferSelect;
type Strategy = (typeof QUEUE_STRATEGIES)[number];
export type ResolvedAgent = { extensionId: string; level: number; position: number };

export function findQueue(db: Db, orgId: string, id: string): QueueRow {
  const row = db.select().from(queues).where(and(eq(queues.id, id), eq(queues.orgId, orgId))).get();
  if (!row) throw new NotFoundError('Queue not found');
  return row;
}

/**
 * Turns `[{extension: "1001"}]` into extension ids of the org; a number that is not an
 * extension of the org is a 400 naming it. Position defaults to the place in the list.
 */
export function resolveAgents(db: Db, orgId: string, agents: AgentInput[]): ResolvedAgent[] {
  if (agents.length === 0) return [];
  const numbers = agents.map((a) => a.extension);
  const rows = db.select({ id: extensions.id, number: extensions.number }).from(extensions)
    .where(and(eq(extensions.orgId, orgId), inArray(extensions.number, numbers))).all();
  const byNumber = new Map(rows.map((r) => [r.number, r.id]));
  const missing = agents
    .map((a, i) => ({ field: `agents.${i}.extension`, number: a.extension }))
    .filter((m) => !byNumber.has(m.number));
  if (missing.length > 0) {
    const list = missing.map((m) => m.number).join(', ');
    throw new ValidationError(
      `Agent extension ${list} does not exist in this organization`,
      missing.map((m) => ({ field: m.field, message: `extension ${m.number} does not exist in this organization` })),
    );
  }
  return agents.map((a, i) => ({ extensionId: byNumber.get(a.extension)!, level: a.level ?? 1, position: a.position ?? i + 1 }));
}

export function replaceAgents(db: Db, queueId: string, agents: ResolvedAgent[]) {
  db.delete(queueAgents).where(eq(queueAgents.queueId, queueId)).run();
  if (agents.length > 0) db.insert(queueAgents).values(agents.map((a) => ({ queueId, ...a }))).run();
}

export function sipDomainOf(db: Db, orgId: string): string {
  return db.select({ d: organizations.sipDomain }).from(organizations).where(eq(organizations.id, orgId)).get()?.d ?? '';
}

/** API view of queues, with their agents by extension number and the FreeSWITCH queue name. */
export function toDtos(db: Db, orgId: string, rows: QueueRow[]) {
  const domain = sipDomainOf(db, orgId);
  const ids = rows.map((r) => r.id);
  const agentRows = ids.length === 0 ? [] : db
    .select({ queueId: queueAgents.queueId, extensionId: extensions.id, extension: extensions.number, name: extensions.name, level: queueAgents.level, position: queueAgents.position })
    .from(queueAgents)
    .innerJoin(extensions, eq(extensions.id, queueAgents.extensionId))
    .where(inArray(queueAgents.queueId, ids))
    .orderBy(asc(queueAgents.level), asc(queueAgents.position), asc(extensions.number))
    .all();
  return rows.map((r) => ({
    id: r.id, number: r.number, name: r.name, strategy: r.strategy as Strategy, moh_sound: r.mohSound,
    max_wait_time: r.maxWaitTime, tier_rules_apply: r.tierRulesApply, discard_abandoned_after: r.discardAbandonedAfter,
    timeout_destination: r.timeoutDestination ?? null,
    agents: agentRows.filter((a) => a.queueId === r.id)
      .map((a) => ({ extension: a.extension, extension_id: a.extensionId, name: a.name, level: a.level, position: a.position })),
    fs_name: `${r.number}@${domain}`,
    createdAt: r.createdAt, updatedAt: r.updatedAt,
  }));
}
