/** AI agents (bots): their WebSocket endpoint and settings, their fallback destination, and the calls they took. */
import { and, asc, eq } from 'drizzle-orm';
import { affectedRows, type Db, type Tables } from '../../db/handle.ts';
import type { StoredDestination } from '../../db/schema/index.ts';
import { checkDestination } from '../../domain/destinations.ts';
import { loadDraftTargets } from '../numbers/targets.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { legsOfAgent, type BotLegRow } from '../call-logs/bot-legs.ts';

/** What a stored header value looks like in every response; sending it back on update keeps the value. */
export const MASK = '••••';

export type AgentRow = Tables['aiAgents']['$inferSelect'];

/** Agent fields as the API accepts them (snake_case). Absent = unchanged (update). */
export interface AgentFields {
  name?: string | undefined;
  ws_url?: string | undefined;
  headers?: Record<string, string> | undefined;
  dialect?: string | undefined;
  audio_format?: string | undefined;
  system_prompt?: string | null | undefined;
  language?: string | undefined;
  opening_text?: string | null | undefined;
  connect_timeout_ms?: number | undefined;
  fallback_destination?: StoredDestination | null | undefined;
}

async function findAgent(db: Db, orgId: string, id: string): Promise<AgentRow> {
  const { aiAgents } = db.t;
  const [row] = await db.select().from(aiAgents).where(and(eq(aiAgents.id, id), eq(aiAgents.orgId, orgId))).limit(1);
  if (!row) throw new NotFoundError('AI agent not found');
  return row;
}

/** The fallback must be a valid destination of this organization (checked against the draft config). */
async function checkFallback(db: Db, orgId: string, fb: StoredDestination | null): Promise<StoredDestination | null> {
  if (!fb) return null;
  const value = fb.value === null ? null : fb.value.trim() || null;
  const { problem } = checkDestination(await loadDraftTargets(db, orgId, [value]), fb.type, value);
  if (problem) throw new ValidationError(`Invalid fallback_destination: ${problem.message}`, [{ field: 'fallback_destination.value', message: problem.message }]);
  return { type: fb.type, value };
}

/** New header set; "••••" keeps the value already stored under that name. */
function mergeHeaders(sent: Record<string, string>, stored: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(sent)) {
    if (value !== MASK) out[name] = value;
    else if (name in stored) out[name] = stored[name]!;
    else throw new ValidationError(`Invalid request: headers.${name}: no stored value to keep`, [{ field: `headers.${name}`, message: `"${MASK}" keeps a stored value, but none is stored for ${name}` }]);
  }
  return out;
}

export async function listAgents(db: Db, orgId: string): Promise<AgentRow[]> {
  const { aiAgents } = db.t;
  return db.select().from(aiAgents).where(eq(aiAgents.orgId, orgId)).orderBy(asc(aiAgents.name));
}

export function getAgent(db: Db, orgId: string, id: string): Promise<AgentRow> {
  return findAgent(db, orgId, id);
}

/** One page of the agent's bot legs, newest first, with the total. */
export async function agentLegs(db: Db, orgId: string, id: string, limit: number, offset: number): Promise<{ rows: BotLegRow[]; total: number }> {
  const agent = await findAgent(db, orgId, id);
  return legsOfAgent(db, orgId, agent.id, limit, offset);
}

export async function createAgent(db: Db, orgId: string, b: Required<AgentFields>): Promise<AgentRow> {
  const headers = mergeHeaders(b.headers, {});
  const fallbackDestination = await checkFallback(db, orgId, b.fallback_destination);
  const [row] = await db.insert(db.t.aiAgents).values({
    orgId, name: b.name, wsUrl: b.ws_url, headers, dialect: b.dialect, audioFormat: b.audio_format,
    systemPrompt: b.system_prompt, language: b.language, openingText: b.opening_text, connectTimeoutMs: b.connect_timeout_ms,
    fallbackDestination,
  }).returning();
  return row!;
}

export async function updateAgent(db: Db, orgId: string, id: string, b: AgentFields, now: () => Date): Promise<AgentRow> {
  const { aiAgents } = db.t;
  const current = await findAgent(db, orgId, id);
  const headers = b.headers === undefined ? undefined : mergeHeaders(b.headers, current.headers);
  const fallback = b.fallback_destination === undefined ? undefined : await checkFallback(db, orgId, b.fallback_destination);
  const [row] = await db.update(aiAgents).set({
    ...(b.name !== undefined && { name: b.name }),
    ...(b.ws_url !== undefined && { wsUrl: b.ws_url }),
    ...(headers !== undefined && { headers }),
    ...(b.dialect !== undefined && { dialect: b.dialect }),
    ...(b.audio_format !== undefined && { audioFormat: b.audio_format }),
    ...(b.system_prompt !== undefined && { systemPrompt: b.system_prompt }),
    ...(b.language !== undefined && { language: b.language }),
    ...(b.opening_text !== undefined && { openingText: b.opening_text }),
    ...(b.connect_timeout_ms !== undefined && { connectTimeoutMs: b.connect_timeout_ms }),
    ...(fallback !== undefined && { fallbackDestination: fallback }),
    updatedAt: now().toISOString(),
  }).where(and(eq(aiAgents.id, id), eq(aiAgents.orgId, orgId))).returning();
  return row ?? (await findAgent(db, orgId, id));
}

export async function deleteAgent(db: Db, orgId: string, id: string): Promise<void> {
  const { aiAgents } = db.t;
  const res = await db.delete(aiAgents).where(and(eq(aiAgents.id, id), eq(aiAgents.orgId, orgId)));
  if (affectedRows(res) === 0) throw new NotFoundError('AI agent not found');
}
