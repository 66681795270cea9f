/** Call queues (mod_callcenter): their fields, their agents (extensions of the org), and the shared number namespace. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { extensions, organizations, queueAgents, queues, type StoredDestination } from '../../db/schema/index.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { assertNumberFree } from '../numbers/extension-numbers.ts';
import type { FinalDestinationType } from '../../domain/destinations.ts';

/** Strategies exactly as mod_callcenter names them. */
export const QUEUE_STRATEGIES = [
  'ring-all', 'longest-idle-agent', 'round-robin', 'top-down', 'agent-with-least-talk-time',
  'agent-with-fewest-calls', 'sequentially-by-agent-order', 'random', 'ring-progressively',
] as const;

type QueueRow = typeof queues.$inferSelect;
type Strategy = (typeof QUEUE_STRATEGIES)[number];
export type ResolvedAgent = { extensionId: string; level: number; position: number };

/** An agent as the API names it: by extension number; level and position default to 1 and the place in the list. */
export interface AgentInput {
  extension: string;
  level?: number | undefined;
  position?: number | undefined;
}

/** Queue fields as the API accepts them (snake_case). Absent = unchanged (update). */
export interface QueueFields {
  number?: string | undefined;
  name?: string | undefined;
  strategy?: Strategy | undefined;
  moh_sound?: string | undefined;
  max_wait_time?: number | undefined;
  tier_rules_apply?: boolean | undefined;
  discard_abandoned_after?: number | undefined;
  timeout_destination?: { type: FinalDestinationType; value?: string | null | undefined } | null | undefined;
  agents?: AgentInput[] | undefined;
}

function findQueue(db: Db, orgId: string, id: string): QueueRow {
  const row = db.select().from(queues).where(and(eq(queues.id, id), eq(queues.orgId, orgId))).get();
  if (!row) throw new NotFoundError('Queue not found');
  return row;
}

/**
 * Turns `[{extension: "1001"}]` into extension ids of the org; a number that is not an
 * extension of the org is a 400 naming it. Position defaults to the place in the list.
 */
function resolveAgents(db: Db, orgId: string, agents: AgentInput[]): ResolvedAgent[] {
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

function replaceAgents(db: Db, queueId: string, agents: ResolvedAgent[]) {
  db.delete(queueAgents).where(eq(queueAgents.queueId, queueId)).run();
  if (agents.length > 0) db.insert(queueAgents).values(agents.map((a) => ({ queueId, ...a }))).run();
}

function sipDomainOf(db: Db, orgId: string): string {
  return db.select({ d: organizations.sipDomain }).from(organizations).where(eq(organizations.id, orgId)).get()?.d ?? '';
}

/** API view of queues, with their agents by extension number and the FreeSWITCH queue name. */
function toDtos(db: Db, orgId: string, rows: QueueRow[]) {
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

export type QueueDto = ReturnType<typeof toDtos>[number];

const exit = (d: QueueFields['timeout_destination']): StoredDestination | null => (d ? { type: d.type, value: d.value ?? null } : null);

export function listQueues(db: Db, orgId: string): QueueDto[] {
  const rows = db.select().from(queues).where(eq(queues.orgId, orgId)).orderBy(asc(queues.number)).all();
  return toDtos(db, orgId, rows);
}

export function getQueue(db: Db, orgId: string, id: string): QueueDto {
  return toDtos(db, orgId, [findQueue(db, orgId, id)])[0]!;
}

export function createQueue(
  db: Db,
  orgId: string,
  body: Required<Omit<QueueFields, 'timeout_destination'>> & Pick<QueueFields, 'timeout_destination'>,
): QueueDto {
  const row = db.transaction((tx) => {
    assertNumberFree(tx, orgId, body.number);
    const agents = resolveAgents(tx, orgId, body.agents);
    const q = tx.insert(queues).values({
      orgId, number: body.number, name: body.name, strategy: body.strategy, mohSound: body.moh_sound,
      maxWaitTime: body.max_wait_time, tierRulesApply: body.tier_rules_apply, discardAbandonedAfter: body.discard_abandoned_after,
      timeoutDestination: exit(body.timeout_destination),
    }).returning().get();
    replaceAgents(tx, q.id, agents);
    return q;
  }, { behavior: 'immediate' });
  return toDtos(db, orgId, [row])[0]!;
}

/** One transaction: fields and the agent list change together or not at all. */
export function updateQueue(db: Db, orgId: string, id: string, body: QueueFields, now: () => Date): QueueDto {
  const row = db.transaction((tx) => {
    const current = findQueue(tx, orgId, id);
    if (body.number !== undefined && body.number !== current.number) assertNumberFree(tx, orgId, body.number, { type: 'queue', id });
    const agents = body.agents === undefined ? undefined : resolveAgents(tx, orgId, body.agents);
    const q = tx.update(queues).set({
      ...(body.number !== undefined && { number: body.number }),
      ...(body.name !== undefined && { name: body.name }),
      ...(body.strategy !== undefined && { strategy: body.strategy }),
      ...(body.moh_sound !== undefined && { mohSound: body.moh_sound }),
      ...(body.max_wait_time !== undefined && { maxWaitTime: body.max_wait_time }),
      ...(body.tier_rules_apply !== undefined && { tierRulesApply: body.tier_rules_apply }),
      ...(body.discard_abandoned_after !== undefined && { discardAbandonedAfter: body.discard_abandoned_after }),
      ...(body.timeout_destination !== undefined && { timeoutDestination: exit(body.timeout_destination) }),
      updatedAt: now().toISOString(),
    }).where(eq(queues.id, id)).returning().get();
    if (agents) replaceAgents(tx, id, agents);
    return q!;
  }, { behavior: 'immediate' });
  return toDtos(db, orgId, [row])[0]!;
}

export function deleteQueue(db: Db, orgId: string, id: string): void {
  const res = db.delete(queues).where(and(eq(queues.id, id), eq(queues.orgId, orgId))).run();
  if (res.changes === 0) throw new NotFoundError('Queue not found');
}
