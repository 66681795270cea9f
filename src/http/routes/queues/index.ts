import { OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import type { AppEnv } from '../../context.ts';
import type { Db } from '../../../db/client.ts';
import { queues } from '../../../db/schema/index.ts';
import { findNumberOwner, numberTakenMessage } from '../../../services/numbers/extension-numbers.ts';
import { ConflictError, NotFoundError } from '../../../services/errors.ts';
import { createQueue, deleteQueue, getQueue, listQueues, updateQueue } from './routes.ts';
import { findQueue, replaceAgents, resolveAgents, toDtos } from '../../../services/queues/queue-service.ts';

/** 409 when the number is held by an IVR, extension or another queue of the org. */
function assertNumberFree(db: Db, orgId: string, number: string, selfId?: string) {
  const owner = findNumberOwner(db, orgId, number, selfId ? { type: 'queue', id: selfId } : undefined);
  if (owner) throw new ConflictError(numberTakenMessage(number, owner), { ...owner, number });
}

export function queueRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listQueues, (c) => {
      const { db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const rows = db.select().from(queues).where(eq(queues.orgId, orgId)).orderBy(asc(queues.number)).all();
      return c.json(toDtos(db, orgId, rows), 200);
    })
    .openapi(getQueue, (c) => {
      const { db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const row = findQueue(db, orgId, c.req.valid('param').id);
      return c.json(toDtos(db, orgId, [row])[0]!, 200);
    })
    .openapi(createQueue, (c) => {
      const body = c.req.valid('json');
      const { db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const row = db.transaction((tx) => {
        assertNumberFree(tx, orgId, body.number);
        const agents = resolveAgents(tx, orgId, body.agents);
        const q = tx.insert(queues).values({
          orgId, number: body.number, name: body.name, strategy: body.strategy, mohSound: body.moh_sound,
          maxWaitTime: body.max_wait_time, tierRulesApply: body.tier_rules_apply, discardAbandonedAfter: body.discard_abandoned_after,
          timeoutDestination: body.timeout_destination ? { type: body.timeout_destination.type, value: body.timeout_destination.value ?? null } : null,
        }).returning().get();
        replaceAgents(tx, q.id, agents);
        return q;
      }, { behavior: 'immediate' });
      return c.json(toDtos(db, orgId, [row])[0]!, 201);
    })
    .openapi(updateQueue, (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const { db, now } = c.get('deps');
      const orgId = c.get('principal').orgId;
      // One transaction: fields and the agent list change together or not at all.
      const row = db.transaction((tx) => {
        const current = findQueue(tx, orgId, id);
        if (body.number !== undefined && body.number !== current.number) assertNumberFree(tx, orgId, body.number, id);
        const agents = body.agents === undefined ? undefined : resolveAgents(tx, orgId, body.agents);
        const q = tx.update(queues).set({
          ...(body.number !== undefined && { number: body.number }),
          ...(body.name !== undefined && { name: body.name }),
          ...(body.strategy !== undefined && { strategy: body.strategy }),
          ...(body.moh_sound !== undefined && { mohSound: body.moh_sound }),
          ...(body.max_wait_time !== undefined && { maxWaitTime: body.max_wait_time }),
          ...(body.tier_rules_apply !== undefined && { tierRulesApply: body.tier_rules_apply }),
          ...(body.discard_abandoned_after !== undefined && { discardAbandonedAfter: body.discard_abandoned_after }),
          ...(body.timeout_destination !== undefined && {
            timeoutDestination: body.timeout_destination ? { type: body.timeout_destination.type, value: body.timeout_destination.value ?? null } : null,
          }),
          updatedAt: now().toISOString(),
        }).where(eq(queues.id, id)).returning().get();
        if (agents) replaceAgents(tx, id, agents);
        return q!;
      }, { behavior: 'immediate' });
      return c.json(toDtos(db, orgId, [row])[0]!, 200);
    })
    .openapi(deleteQueue, (c) => {
      const { id } = c.req.valid('param');
      const res = c.get('deps').db.delete(queues).where(and(eq(queues.id, id), eq(queues.orgId, c.get('principal').orgId))).run();
      if (res.changes === 0) throw new NotFoundError('Queue not found');
      return c.body(null, 204);
    });
}
