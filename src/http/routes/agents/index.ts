import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import * as svc from '../../../services/agents/agent-service.ts';
import { toBotLegDto } from '../call-logs/bot-legs.ts';
import type { AgentDialect, AudioFormat } from '../../../domain/agents.ts';
import { testConnectAgent } from '../../../services/agents/test-connect.ts';
import { createAgent, deleteAgent, getAgent, listAgentLegs, listAgents, testConnect, updateAgent } from './routes.ts';

const toDto = (r: svc.AgentRow) => ({
  id: r.id, name: r.name, ws_url: r.wsUrl,
  headers: Object.fromEntries(Object.keys(r.headers).map((k) => [k, svc.MASK])),
  dialect: r.dialect as AgentDialect, audio_format: r.audioFormat as AudioFormat,
  system_prompt: r.systemPrompt, language: r.language, opening_text: r.openingText, connect_timeout_ms: r.connectTimeoutMs,
  fallback_destination: r.fallbackDestination, createdAt: r.createdAt, updatedAt: r.updatedAt,
});

export function agentRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listAgents, async (c) => c.json((await svc.listAgents(c.get('deps').adb, c.get('principal').orgId)).map(toDto), 200))
    .openapi(getAgent, async (c) => c.json(toDto(await svc.getAgent(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id)), 200))
    .openapi(listAgentLegs, async (c) => {
      const { limit, offset } = c.req.valid('query');
      const { rows, total } = await svc.agentLegs(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id, limit, offset);
      return c.json({ legs: rows.map(toBotLegDto), total, limit, offset }, 200);
    })
    .openapi(createAgent, async (c) => c.json(toDto(await svc.createAgent(c.get('deps').adb, c.get('principal').orgId, c.req.valid('json'))), 201))
    .openapi(updateAgent, async (c) => {
      const { adb, now } = c.get('deps');
      return c.json(toDto(await svc.updateAgent(adb, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json'), now)), 200);
    })
    .openapi(testConnect, async (c) => {
      const body = c.req.header('content-type')?.includes('json') ? c.req.valid('json') : {};
      const result = await testConnectAgent(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id, body?.timeout_ms);
      return c.json(result, 200);
    })
    .openapi(deleteAgent, async (c) => {
      await svc.deleteAgent(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
