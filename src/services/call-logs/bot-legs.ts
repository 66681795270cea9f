/** Bot legs (rows of `bot_legs`, one per AI-bridge leg of a call) of a call or of an agent. Read-only. */
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Db as AsyncDb } from '../../db/handle.ts';
import { insertionOrder } from '../../db/order.ts';
import { aiAgents, botLegs } from '../../db/schema/index.ts';

/** A leg with the agent's current name (null once deleted, or for a bare URL). */
export type BotLegRow = typeof botLegs.$inferSelect & { agentName: string | null };

const legColumns = {
  id: botLegs.id, callId: botLegs.callId, callUuid: botLegs.callUuid, orgId: botLegs.orgId, agentId: botLegs.agentId, wsUrl: botLegs.wsUrl,
  dialect: botLegs.dialect, streamId: botLegs.streamId, startedAt: botLegs.startedAt, durationMs: botLegs.durationMs, dtmf: botLegs.dtmf,
  endReason: botLegs.endReason, endDetail: botLegs.endDetail, transferTarget: botLegs.transferTarget, stats: botLegs.stats, createdAt: botLegs.createdAt,
};

/** bot_legs joined with the agent's current name (same org only). */
const selectLegs = (db: Db) =>
  db.select({ ...legColumns, agentName: aiAgents.name }).from(botLegs)
    .leftJoin(aiAgents, and(eq(aiAgents.id, botLegs.agentId), eq(aiAgents.orgId, botLegs.orgId)));

/** The bot legs of one call (already checked to belong to `orgId`), in the order they ran. */
export function legsOfCall(db: Db, orgId: string, callId: string): BotLegRow[] {
  return selectLegs(db).where(and(eq(botLegs.callId, callId), eq(botLegs.orgId, orgId)))
    .orderBy(asc(botLegs.startedAt), asc(sql`${botLegs}.rowid`)).all();
}

/** One page of an agent's legs, newest first, with the total. */
export function legsOfAgent(db: Db, orgId: string, agentId: string, limit: number, offset: number): { rows: BotLegRow[]; total: number } {
  const where = and(eq(botLegs.orgId, orgId), eq(botLegs.agentId, agentId));
  const rows = selectLegs(db).where(where).orderBy(desc(botLegs.startedAt), desc(sql`${botLegs}.rowid`)).limit(limit).offset(offset).all();
  const total = db.select({ n: count() }).from(botLegs).where(where).get()?.n ?? 0;
  return { rows, total };
}

/**
 * legsOfAgent on the async handle. Transitional twin (docs/pg/PG-PLAN.md): the AI agents' legs route uses it;
 * when bot legs are converted (step 4) the synchronous one goes and this takes its name.
 */
export async function legsOfAgentAsync(db: AsyncDb, orgId: string, agentId: string, limit: number, offset: number): Promise<{ rows: BotLegRow[]; total: number }> {
  const { aiAgents: a, botLegs: l } = db.t;
  const where = and(eq(l.orgId, orgId), eq(l.agentId, agentId));
  const columns = {
    id: l.id, callId: l.callId, callUuid: l.callUuid, orgId: l.orgId, agentId: l.agentId, wsUrl: l.wsUrl, dialect: l.dialect, streamId: l.streamId,
    startedAt: l.startedAt, durationMs: l.durationMs, dtmf: l.dtmf, endReason: l.endReason, endDetail: l.endDetail, transferTarget: l.transferTarget,
    stats: l.stats, createdAt: l.createdAt, agentName: a.name,
  };
  const rows = await db.select(columns).from(l).leftJoin(a, and(eq(a.id, l.agentId), eq(a.orgId, l.orgId)))
    .where(where).orderBy(desc(l.startedAt), desc(insertionOrder(db, l))).limit(limit).offset(offset);
  const [counted] = await db.select({ n: count() }).from(l).where(where);
  return { rows, total: counted?.n ?? 0 };
}
