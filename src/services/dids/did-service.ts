import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { transaction, type Db, type Tables } from '../../db/handle.ts';
import { insertionOrder, isUniqueViolation } from '../../db/order.ts';
import { checkDestination, type DidRoutingType } from '../../domain/destinations.ts';
import { normalizeE164 } from '../numbers/phone.ts';
import { loadDraftTargets } from '../numbers/targets.ts';
import { publishDidMapping } from '../../publish/did-mapping.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';

/**
 * Phone numbers (DIDs): an organization's numbers, the shared pool (org_id null) and
 * the moves between them. Every move and routing change leaves a did_history row;
 * routing changes go live at once through publishDidMapping.
 */

type DidRow = Tables['dids']['$inferSelect'];
export type Actor = { id: string; kind: 'user' | 'api_key' };
export type Published = { version: number | null; warnings: string[] };

export const toDidDto = (r: DidRow) => ({
  id: r.id, number: r.number, org_id: r.orgId, routing_type: r.routingType, routing_destination: r.routingDestination,
  description: r.description, status: r.status, createdAt: r.createdAt, updatedAt: r.updatedAt,
});

export const toPoolDto = (r: DidRow) => ({ id: r.id, number: r.number, description: r.description, status: r.status, createdAt: r.createdAt });

export async function listOrgDids(db: Db, orgId: string): Promise<DidRow[]> {
  const { dids } = db.t;
  return db.select().from(dids).where(eq(dids.orgId, orgId)).orderBy(asc(dids.number));
}

export async function listPool(db: Db): Promise<DidRow[]> {
  const { dids } = db.t;
  return db.select().from(dids).where(isNull(dids.orgId)).orderBy(asc(dids.number));
}

/** One of the organization's numbers; anything else (pool, other org, unknown) is a 404. */
export async function findOrgDid(db: Db, orgId: string, id: string): Promise<DidRow> {
  const { dids } = db.t;
  const [row] = await db.select().from(dids).where(and(eq(dids.id, id), eq(dids.orgId, orgId))).limit(1);
  if (!row) throw new NotFoundError('DID not found');
  return row;
}

type HistoryAction = 'assigned' | 'released' | 'routed';
const historyRow = (didId: string, orgId: string, action: HistoryAction, actor: Actor, detail: Record<string, unknown>) =>
  ({ didId, orgId, action, actorUserId: actor.id, detail: { ...detail, actor_kind: actor.kind } });

async function record(db: Db, didId: string, orgId: string, action: HistoryAction, actor: Actor, detail: Record<string, unknown> = {}): Promise<void> {
  await db.insert(db.t.didHistory).values(historyRow(didId, orgId, action, actor, detail));
}

const touch = (now: Date) => ({ updatedAt: now.toISOString() });

export type RoutingInput = { routing_type: DidRoutingType; routing_destination: string | null; description?: string | null | undefined };

const invalidRouting = (message: string) =>
  new ValidationError(`Invalid routing_destination: ${message}`, [{ field: 'routing_destination', message }]);

/** The live DID mapping, written after the commit (the writer reads the committed rows). */
function publishMapping(db: Db, orgId: string, actorId: string): Promise<Published> {
  return publishDidMapping(db, orgId, { actorId });
}

export async function routeDid(
  db: Db,
  orgId: string,
  id: string,
  input: RoutingInput,
  actor: Actor,
  now: Date,
): Promise<{ did: DidRow; published: Published }> {
  const destination = input.routing_destination === null ? null : input.routing_destination.trim();
  const did = await transaction(db, async (tx) => {
    const { dids } = tx.t;
    const current = await findOrgDid(tx, orgId, id);
    const { problem } = checkDestination(await loadDraftTargets(tx, orgId, [destination]), input.routing_type, destination);
    if (problem) throw invalidRouting(problem.message);
    const [updated] = await tx.update(dids).set({
      routingType: input.routing_type,
      routingDestination: destination,
      ...(input.description !== undefined && { description: input.description }),
      ...touch(now),
    }).where(eq(dids.id, id)).returning();
    await record(tx, id, orgId, 'routed', actor, {
      routing_type: input.routing_type, routing_destination: destination,
      previous: { routing_type: current.routingType, routing_destination: current.routingDestination },
    });
    return updated!;
  });
  const published = await publishMapping(db, orgId, actor.id);
  return { did, published };
}

/**
 * Adds a number (any format; stored as E.164) to the pool, or straight to the caller's organization.
 * 409 when it exists anywhere.
 */
export function addNumber(
  db: Db,
  orgId: string,
  body: { number: string; description?: string | null | undefined; assign: boolean },
  actor: Actor,
  defaultCountryCode: string,
): Promise<DidRow> {
  const number = normalizeE164(body.number, defaultCountryCode);
  if (!number) {
    const message = 'must be a phone number, e.g. "+918065978001"';
    return Promise.reject(new ValidationError(`Invalid request: number: ${message}`, [{ field: 'number', message }]));
  }
  const input = { ...body, number };
  // On PostgreSQL two adds of one number can both pass the check: the unique index refuses the second, a 409 too.
  const raced = (err: unknown) => {
    throw isUniqueViolation(err) ? new ConflictError(`DID ${input.number} already exists`, { type: 'did', number: input.number }) : err;
  };
  return transaction(db, async (tx) => {
    const { dids } = tx.t;
    const [existing] = await tx.select().from(dids).where(eq(dids.number, input.number)).limit(1);
    if (existing) {
      const visible = existing.orgId === null || existing.orgId === orgId;
      const where = existing.orgId === null ? 'in the pool' : existing.orgId === orgId ? 'in your organization' : 'assigned to another organization';
      throw new ConflictError(`DID ${input.number} already exists (${where})`, { type: 'did', number: input.number, ...(visible && { id: existing.id }) });
    }
    const [row] = await tx.insert(dids).values({ number: input.number, description: input.description ?? null, orgId: input.assign ? orgId : null }).returning();
    if (input.assign) await record(tx, row!.id, orgId, 'assigned', actor, { source: 'added' });
    return row!;
  }).catch(raced);
}

/**
 * Moves a pool number to the caller's organization. The move is one conditional UPDATE (still in the pool),
 * so two organizations requesting the same number at once cannot both get it: the second is a 409.
 */
export function requestFromPool(db: Db, orgId: string, id: string, actor: Actor, now: Date): Promise<{ did: DidRow; orgName: string }> {
  return transaction(db, async (tx) => {
    const { dids, organizations } = tx.t;
    const [row] = await tx.select().from(dids).where(eq(dids.id, id)).limit(1);
    if (!row || (row.orgId !== null && row.orgId !== orgId)) throw new NotFoundError('DID not found');
    const taken = () => new ConflictError('This number is assigned and cannot be requested.', { type: 'did', id: row.id, number: row.number });
    if (row.orgId !== null) throw taken();
    if (row.status !== 'active') throw new ConflictError(`This number is ${row.status} and cannot be requested.`, { type: 'did', id: row.id, number: row.number });
    const [did] = await tx.update(dids).set({ orgId, routingType: null, routingDestination: null, ...touch(now) })
      .where(and(eq(dids.id, id), isNull(dids.orgId))).returning();
    if (!did) throw taken();
    await record(tx, id, orgId, 'assigned', actor, { source: 'pool' });
    const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId)).limit(1);
    return { did, orgName: org?.name ?? orgId };
  });
}

/** Returns one of the organization's numbers to the pool, clearing its routing and taking it off the live mapping. */
export async function releaseToPool(db: Db, orgId: string, id: string, actor: Actor, now: Date): Promise<{ did: DidRow; published: Published }> {
  const did = await transaction(db, async (tx) => {
    const { dids } = tx.t;
    const current = await findOrgDid(tx, orgId, id);
    const [updated] = await tx.update(dids).set({ orgId: null, routingType: null, routingDestination: null, ...touch(now) })
      .where(and(eq(dids.id, id), eq(dids.orgId, orgId))).returning();
    if (!updated) throw new NotFoundError('DID not found');
    await record(tx, id, orgId, 'released', actor, {
      previous: { routing_type: current.routingType, routing_destination: current.routingDestination },
    });
    return updated;
  });
  const published = await publishMapping(db, orgId, actor.id);
  return { did, published };
}

/**
 * The number's history, newest first. Rows written while another organization held the
 * number keep their action and time but not that organization's id, actor or routing.
 */
export async function didHistoryFor(db: Db, orgId: string, id: string) {
  const { didHistory } = db.t;
  await findOrgDid(db, orgId, id);
  const rows = await db.select().from(didHistory).where(eq(didHistory.didId, id))
    .orderBy(desc(didHistory.createdAt), desc(insertionOrder(db, didHistory)));
  return rows.map((r) => {
    const own = r.orgId === orgId;
    const { actor_kind: kind, ...detail } = r.detail ?? {};
    return {
      id: r.id, did_id: r.didId, action: r.action, org_id: own ? r.orgId : null,
      actor: own && r.actorUserId ? { type: kind === 'api_key' ? ('api_key' as const) : ('user' as const), id: r.actorUserId } : null,
      detail: own ? detail : null,
      createdAt: r.createdAt,
    };
  });
}
