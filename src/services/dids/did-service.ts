import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { didHistory, dids, organizations } from '../../db/schema/index.ts';
import { checkDestination, type DidRoutingType } from '../../domain/destinations.ts';
import { normalizeE164 } from '../numbers/phone.ts';
import { draftTargets } from '../numbers/targets.ts';
import { publishDidMapping } from '../../publish/did-mapping.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';

/**
 * Phone numbers (DIDs): an organization's numbers, the shared pool (org_id null) and
 * the moves between them. Every move and routing change leaves a did_history row;
 * routing changes go live at once through publishDidMapping.
 */

type DidRow = typeof dids.$inferSelect;
export type Actor = { id: string; kind: 'user' | 'api_key' };
export type Published = { version: number | null; warnings: string[] };

export const toDidDto = (r: DidRow) => ({
  id: r.id, number: r.number, org_id: r.orgId, routing_type: r.routingType, routing_destination: r.routingDestination,
  description: r.description, status: r.status, createdAt: r.createdAt, updatedAt: r.updatedAt,
});

export const toPoolDto = (r: DidRow) => ({ id: r.id, number: r.number, description: r.description, status: r.status, createdAt: r.createdAt });

export function listOrgDids(db: Db, orgId: string): DidRow[] {
  return db.select().from(dids).where(eq(dids.orgId, orgId)).orderBy(asc(dids.number)).all();
}

export function listPool(db: Db): DidRow[] {
  return db.select().from(dids).where(isNull(dids.orgId)).orderBy(asc(dids.number)).all();
}

/** One of the organization's numbers; anything else (pool, other org, unknown) is a 404. */
export function findOrgDid(db: Db, orgId: string, id: string): DidRow {
  const row = db.select().from(dids).where(and(eq(dids.id, id), eq(dids.orgId, orgId))).get();
  if (!row) throw new NotFoundError('DID not found');
  return row;
}

function record(db: Db, didId: string, orgId: string, action: 'assigned' | 'released' | 'routed', actor: Actor, detail: Record<string, unknown> = {}) {
  db.insert(didHistory).values({ didId, orgId, action, actorUserId: actor.id, detail: { ...detail, actor_kind: actor.kind } }).run();
}

const touch = (now: Date) => ({ updatedAt: now.toISOString() });

export function routeDid(
  db: Db,
  orgId: string,
  id: string,
  input: { routing_type: DidRoutingType; routing_destination: string | null; description?: string | null | undefined },
  actor: Actor,
  now: Date,
): { did: DidRow; published: Published } {
  const destination = input.routing_destination === null ? null : input.routing_destination.trim();
  const did = db.transaction((tx) => {
    const current = findOrgDid(tx, orgId, id);
    const { problem } = checkDestination(draftTargets(tx, orgId), input.routing_type, destination);
    if (problem) {
      throw new ValidationError(`Invalid routing_destination: ${problem.message}`, [{ field: 'routing_destination', message: problem.message }]);
    }
    const updated = tx.update(dids).set({
      routingType: input.routing_type,
      routingDestination: destination,
      ...(input.description !== undefined && { description: input.description }),
      ...touch(now),
    }).where(eq(dids.id, id)).returning().get()!;
    record(tx, id, orgId, 'routed', actor, {
      routing_type: input.routing_type, routing_destination: destination,
      previous: { routing_type: current.routingType, routing_destination: current.routingDestination },
    });
    return updated;
  }, { behavior: 'immediate' });
  // After the commit: the mapping writer reads the committed rows.
  const published = publishDidMapping(db, orgId, { actorId: actor.id });
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
): DidRow {
  const number = normalizeE164(body.number, defaultCountryCode);
  if (!number) {
    const message = 'must be a phone number, e.g. "+918065978001"';
    throw new ValidationError(`Invalid request: number: ${message}`, [{ field: 'number', message }]);
  }
  const input = { ...body, number };
  return db.transaction((tx) => {
    const existing = tx.select().from(dids).where(eq(dids.number, input.number)).get();
    if (existing) {
      const visible = existing.orgId === null || existing.orgId === orgId;
      const where = existing.orgId === null ? 'in the pool' : existing.orgId === orgId ? 'in your organization' : 'assigned to another organization';
      throw new ConflictError(`DID ${input.number} already exists (${where})`, { type: 'did', number: input.number, ...(visible && { id: existing.id }) });
    }
    const row = tx.insert(dids).values({ number: input.number, description: input.description ?? null, orgId: input.assign ? orgId : null }).returning().get();
    if (input.assign) record(tx, row.id, orgId, 'assigned', actor, { source: 'added' });
    return row;
  }, { behavior: 'immediate' });
}

/** Moves a pool number to the caller's organization. */
export function requestFromPool(db: Db, orgId: string, id: string, actor: Actor, now: Date): { did: DidRow; orgName: string } {
  return db.transaction((tx) => {
    const row = tx.select().from(dids).where(eq(dids.id, id)).get();
    if (!row || (row.orgId !== null && row.orgId !== orgId)) throw new NotFoundError('DID not found');
    if (row.orgId !== null) throw new ConflictError('This number is assigned and cannot be requested.', { type: 'did', id: row.id, number: row.number });
    if (row.status !== 'active') throw new ConflictError(`This number is ${row.status} and cannot be requested.`, { type: 'did', id: row.id, number: row.number });
    const did = tx.update(dids).set({ orgId, routingType: null, routingDestination: null, ...touch(now) })
      .where(and(eq(dids.id, id), isNull(dids.orgId))).returning().get()!;
    record(tx, id, orgId, 'assigned', actor, { source: 'pool' });
    const orgName = tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId)).get()?.name ?? orgId;
    return { did, orgName };
  }, { behavior: 'immediate' });
}

/** Returns one of the organization's numbers to the pool, clearing its routing and taking it off the live mapping. */
export function releaseToPool(db: Db, orgId: string, id: string, actor: Actor, now: Date): { did: DidRow; published: Published } {
  const did = db.transaction((tx) => {
    const current = findOrgDid(tx, orgId, id);
    const updated = tx.update(dids).set({ orgId: null, routingType: null, routingDestination: null, ...touch(now) })
      .where(eq(dids.id, id)).returning().get()!;
    record(tx, id, orgId, 'released', actor, {
      previous: { routing_type: current.routingType, routing_destination: current.routingDestination },
    });
    return updated;
  }, { behavior: 'immediate' });
  const published = publishDidMapping(db, orgId, { actorId: actor.id });
  return { did, published };
}

/**
 * The number's history, newest first. Rows written while another organization held the
 * number keep their action and time but not that organization's id, actor or routing.
 */
export function didHistoryFor(db: Db, orgId: string, id: string) {
  findOrgDid(db, orgId, id);
  const rows = db.select().from(didHistory).where(eq(didHistory.didId, id))
    .orderBy(desc(didHistory.createdAt), desc(sql`rowid`)).all();
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
