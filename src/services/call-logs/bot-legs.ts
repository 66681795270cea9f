/** Bot legs (rows of `bot_legs`, one per AI-bridge leg of a call) of a call or of an agent. Read-only. */
import { and, asc, count, desc, eq } from 'drizzle-orm';
import type { Db, Tables } from '../../db/handle.ts';
import { insertionOrder } from '../../db/order.ts';

/** A leg with the agent's current name (null once deleted, or for a bare URL). */
export type BotLegRow = Tables['botLegs']['$inferSelect'] & { agentName: string | null };

const legColumns = (botLegs: Tables['botLegs']) => ({
  id: botLegs.id, callId: botLegs.callId, callUuid: botLegs.callUuid, orgId: botLegs.orgId, agentId: botLegs.agentId, wsUrl: botLegs.wsUrl,
  dialect: botLegs.dialect, streamId: botLegs.streamId, startedAt: botLegs.startedAt, durationMs: botLegs.durationMs, dtmf: botLegs.dtmf,
  endReason: botLegs.endReason, endDetail: botLegs.endDetail, transferTarget: botLegs.transferTarget, stats: botLegs.stats, createdAt: botLegs.createdAt,
});

/** bot_legs joined with the agent's current name (same org only). */
const selectLegs = (db: Db) => {
  const { aiAgents, botLegs } = db.t;
  return db.select({ ...legColumns(botLegs), agentName: aiAgents.name }).from(botLegs)
    .leftJoin(aiAgents, and(eq(aiAgents.id, botLegs.agentId), eq(aiAgents.orgId, botLegs.orgId)));
};

/** The bot legs of one call (already checked to belong to `orgId`), in the order they ran. */
export async function legsOfCall(db: Db, orgId: string, callId: string): Promise<BotLegRow[]> {
  const { botLegs } = db.t;
  return selectLegs(db).where(and(eq(botLegs.callId, callId), eq(botLegs.orgId, orgId)))
    .orderBy(asc(botLegs.startedAt), asc(insertionOrder(db, botLegs)));
}

/** One page of an agent's legs, newest first, with the total. */
export async function legsOfAgent(db: Db, orgId: string, agentId: string, limit: number, offset: number): Promise<{ rows: BotLegRow[]; total: number }> {
  const { botLegs } = db.t;
  const where = and(eq(botLegs.orgId, orgId), eq(botLegs.agentId, agentId));
  const rows = await selectLegs(db).where(where).orderBy(desc(botLegs.startedAt), desc(insertionOrder(db, botLegs))).limit(limit).offset(offset);
  const [n] = await db.select({ n: count() }).from(botLegs).where(where);
  return { rows, total: n?.n ?? 0 };
}
