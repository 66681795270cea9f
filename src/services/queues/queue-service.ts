/** Call queues (mod_callcenter): their fields, their agents (extensions of the org), and the shared number namespace. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { affectedRows, transaction, type Db, type Tables } from '../../db/handle.ts';
import type { StoredDestination } from '../../db/schema/index.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { assertNumberFree } from '../numbers/extension-numbers.ts';
import type { FinalDestinationType } from '../../domain/destinations.ts';

/** Strategies exactly as mod_callcenter names them. */
export const QUEUE_STRATEGIES = [
  'ring-all', 'longest-idle-agent', 'round-robin', 'top-down', 'agent-with-least-talk-time',
  'agent-with-fewest-calls', 'sequentially-by-agent-order', 'random', 'ring-progressively',
] as const;

type QueueRow = Tables['queues']['$inferSelect'];
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

async function findQueue(db: Db, orgId: string, id: string): Promise<QueueRow> {
  const { queues } = db.t;
  const [row] = await db.select().from(queues).where(and(eq(queues.id, id), eq(queues.orgId, orgId))).limit(1);
  if (!row) throw new NotFoundError('Queue not found');
  return row;
}

/**
 * Turns `[{extension: "1001"}]` into extension ids of the org; a number that is not an
 * extension of the org is a 400 naming it. Position defaults to the place in the list.
 */
async function resolveAgents(db: Db, orgId: string, agents: AgentInput[]): Promise<ResolvedAgent[]> {
  if (agents.length === 0) return [];
  const { extensions } = db.t;
  const numbers = agents.map((a) => a.extension);
  const rows = await db.select({ id: extensions.id, number: extensions.number }).from(extensions)
    .where(and(eq(extensions.orgId, orgId), inArray(extensions.number, numbers)));
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

async function replaceAgents(db: Db, queueId: string, agents: ResolvedAgent[]): Promise<void> {
  const { queueAgents } = db.t;
  await db.delete(queueAgents).where(eq(queueAgents.queueId, queueId));
  if (agents.length > 0) await db.insert(queueAgents).values(agents.map((a) => ({ queueId, ...a })));
}

async function sipDomainOf(db: Db, orgId: string): Promise<string> {
  const { organizations } = db.t;
  return (await db.select({ d: organizations.sipDomain }).from(organizations).where(eq(organizations.id, orgId)).limit(1))[0]?.d ?? '';
}

/** API view of queues, with their agents by extension number and the FreeSWITCH queue name. */
async function toDtos(db: Db, orgId: string, rows: QueueRow[]) {
  const { extensions, queueAgents } = db.t;
  const domain = await sipDomainOf(db, orgId);
  const ids = rows.map((r) => r.id);
  const agentRows = ids.length === 0 ? [] : await db
    .select({ queueId: queueAgents.queueId, extensionId: extensions.id, extension: extensions.number, name: extensions.name, level: queueAgents.level, position: queueAgents.position })
    .from(queueAgents)
    .innerJoin(extensions, eq(extensions.id, queueAgents.extensionId))
    .where(inArray(queueAgents.queueId, ids))
    .orderBy(asc(queueAgents.level), asc(queueAgents.position), asc(extensions.number));
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

export type QueueDto = Awaited<ReturnType<typeof toDtos>>[number];

const exit = (d: QueueFields['timeout_destination']): StoredDestination | null => (d ? { type: d.type, value: d.value ?? null } : null);

export async function listQueues(db: Db, orgId: string): Promise<QueueDto[]> {
  const { queues } = db.t;
  const rows = await db.select().from(queues).where(eq(queues.orgId, orgId)).orderBy(asc(queues.number));
  return toDtos(db, orgId, rows);
}

export async function getQueue(db: Db, orgId: string, id: string): Promise<QueueDto> {
  return (await toDtos(db, orgId, [await findQueue(db, orgId, id)]))[0]!;
}

export async function createQueue(
  db: Db,
  orgId: string,
  body: Required<Omit<QueueFields, 'timeout_destination'>> & Pick<QueueFields, 'timeout_destination'>,
): Promise<QueueDto> {
  // One transaction: on SQLite the namespace check and the insert hold the connection together, so two
  // requests cannot both take the same number; on PostgreSQL (READ COMMITTED) the unique index refuses the second.
  const row = await transaction(db, async (tx) => {
    const { queues } = tx.t;
    await assertNumberFree(tx, orgId, body.number);
    const agents = await resolveAgents(tx, orgId, body.agents);
    const [q] = await tx.insert(queues).values({
      orgId, number: body.number, name: body.name, strategy: body.strategy, mohSound: body.moh_sound,
      maxWaitTime: body.max_wait_time, tierRulesApply: body.tier_rules_apply, discardAbandonedAfter: body.discard_abandoned_after,
      timeoutDestination: exit(body.timeout_destination),
    }).returning();
    await replaceAgents(tx, q!.id, agents);
    return q!;
  });
  return (await toDtos(db, orgId, [row]))[0]!;
}

/** One transaction: fields and the agent list change together or not at all. */
export async function updateQueue(db: Db, orgId: string, id: string, body: QueueFields, now: () => Date): Promise<QueueDto> {
  const row = await transaction(db, async (tx) => {
    const { queues } = tx.t;
    const current = await findQueue(tx, orgId, id);
    if (body.number !== undefined && body.number !== current.number) await assertNumberFree(tx, orgId, body.number, { type: 'queue', id });
    const agents = body.agents === undefined ? undefined : await resolveAgents(tx, orgId, body.agents);
    const [q] = await tx.update(queues).set({
      ...(body.number !== undefined && { number: body.number }),
      ...(body.name !== undefined && { name: body.name }),
      ...(body.strategy !== undefined && { strategy: body.strategy }),
      ...(body.moh_sound !== undefined && { mohSound: body.moh_sound }),
      ...(body.max_wait_time !== undefined && { maxWaitTime: body.max_wait_time }),
      ...(body.tier_rules_apply !== undefined && { tierRulesApply: body.tier_rules_apply }),
      ...(body.discard_abandoned_after !== undefined && { discardAbandonedAfter: body.discard_abandoned_after }),
      ...(body.timeout_destination !== undefined && { timeoutDestination: exit(body.timeout_destination) }),
      updatedAt: now().toISOString(),
    }).where(eq(queues.id, id)).returning();
    if (agents) await replaceAgents(tx, id, agents);
    return q!;
  });
  return (await toDtos(db, orgId, [row]))[0]!;
}

export async function deleteQueue(db: Db, orgId: string, id: string): Promise<void> {
  const { queues } = db.t;
  const res = await db.delete(queues).where(and(eq(queues.id, id), eq(queues.orgId, orgId)));
  if (affectedRows(res) === 0) throw new NotFoundError('Queue not found');
}
