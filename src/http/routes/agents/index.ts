import { OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import type { AppEnv } from '../../context.ts';
import type { Db } from '../../../db/client.ts';
import { aiAgents, type StoredDestination } from '../../../db/schema/index.ts';
import { checkDestination } from '../../../services/numbers/destinations.ts';
import { NotFoundError, ValidationError } from '../../../services/errors.ts';
import { legsOfAgent, toBotLegDto } from '../call-logs/bot-legs.ts';
import { type AGENT_DIALECTS, type AUDIO_FORMATS, MASK, createAgent, deleteAgent, getAgent, listAgentLegs, listAgents, updateAgent } from './routes.ts';

type Row = typeof aiAgents.$inferSelect;

const toDto = (r: Row) => ({
  id: r.id, name: r.name, ws_url: r.wsUrl,
  headers: Object.fromEntries(Object.keys(r.headers).map((k) => [k, MASK])),
  dialect: r.dialect as (typeof AGENT_DIALECTS)[number], audio_format: r.audioFormat as (typeof AUDIO_FORMATS)[number],
  system_prompt: r.systemPrompt, language: r.language, opening_text: r.openingText, connect_timeout_ms: r.connectTimeoutMs,
  fallback_destination: r.fallbackDestination, createdAt: r.createdAt, updatedAt: r.updatedAt,
});

function findAgent(db: Db, orgId: string, id: string): Row {
  const row = db.select().from(aiAgents).where(and(eq(aiAgents.id, id), eq(aiAgents.orgId, orgId))).get();
  if (!row) throw new NotFoundError('AI agent not found');
  return row;
}

/** The fallback must be a valid destination of this organization (checked against the draft config). */
function checkFallback(db: Db, orgId: string, fb: StoredDestination | null): StoredDestination | null {
  if (!fb) return null;
  const value = fb.value === null ? null : fb.value.trim() || null;
  const problem = checkDestination(db, orgId, fb.type, value);
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

export function agentRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listAgents, (c) => {
      const rows = c.get('deps').db.select().from(aiAgents).where(eq(aiAgents.orgId, c.get('principal').orgId)).orderBy(asc(aiAgents.name)).all();
      return c.json(rows.map(toDto), 200);
    })
    .openapi(getAgent, (c) => c.json(toDto(findAgent(c.get('deps').db, c.get('principal').orgId, c.req.valid('param').id)), 200))
    .openapi(listAgentLegs, (c) => {
      const { db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const agent = findAgent(db, orgId, c.req.valid('param').id);
      const { limit, offset } = c.req.valid('query');
      const { rows, total } = legsOfAgent(db, orgId, agent.id, limit, offset);
      return c.json({ legs: rows.map(toBotLegDto), total, limit, offset }, 200);
    })
    .openapi(createAgent, (c) => {
      const b = c.req.valid('json');
      const { db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const row = db.insert(aiAgents).values({
        orgId, name: b.name, wsUrl: b.ws_url, headers: mergeHeaders(b.headers, {}), dialect: b.dialect, audioFormat: b.audio_format,
        systemPrompt: b.system_prompt, language: b.language, openingText: b.opening_text, connectTimeoutMs: b.connect_timeout_ms,
        fallbackDestination: checkFallback(db, orgId, b.fallback_destination),
      }).returning().get();
      return c.json(toDto(row), 201);
    })
    .openapi(updateAgent, (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      const { db, now } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const current = findAgent(db, orgId, id);
      const row = db.update(aiAgents).set({
        ...(b.name !== undefined && { name: b.name }),
        ...(b.ws_url !== undefined && { wsUrl: b.ws_url }),
        ...(b.headers !== undefined && { headers: mergeHeaders(b.headers, current.headers) }),
        ...(b.dialect !== undefined && { dialect: b.dialect }),
        ...(b.audio_format !== undefined && { audioFormat: b.audio_format }),
        ...(b.system_prompt !== undefined && { systemPrompt: b.system_prompt }),
        ...(b.language !== undefined && { language: b.language }),
        ...(b.opening_text !== undefined && { openingText: b.opening_text }),
        ...(b.connect_timeout_ms !== undefined && { connectTimeoutMs: b.connect_timeout_ms }),
        ...(b.fallback_destination !== undefined && { fallbackDestination: checkFallback(db, orgId, b.fallback_destination) }),
        updatedAt: now().toISOString(),
      }).where(and(eq(aiAgents.id, id), eq(aiAgents.orgId, orgId))).returning().get();
      return c.json(toDto(row!), 200);
    })
    .openapi(deleteAgent, (c) => {
      const res = c.get('deps').db.delete(aiAgents)
        .where(and(eq(aiAgents.id, c.req.valid('param').id), eq(aiAgents.orgId, c.get('principal').orgId))).run();
      if (res.changes === 0) throw new NotFoundError('AI agent not found');
      return c.body(null, 204);
    });
}
