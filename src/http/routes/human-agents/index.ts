/** /api/v1/agents: human agents (the AI agents are /api/v1/ai-agents, in routes/agents). */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { createAgent, deleteAgent, updateAgent, type AgentDeps } from '../../../services/human-agents/agent-service.ts';
import { findAgent, listAgents } from '../../../services/human-agents/queries.ts';
import { createAgentRoute, deleteAgentRoute, getAgentRoute, listAgentsRoute, updateAgentRoute } from './routes.ts';

const depsOf = (c: Context<AppEnv>): AgentDeps => {
  const { adb, switchControl, now, config } = c.get('deps');
  return { adb, switchControl, now, logger: c.get('logger'), defaultCountryCode: config.DEFAULT_COUNTRY_CODE };
};

export function humanAgentRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listAgentsRoute, async (c) => {
      const { enabled, limit, offset } = c.req.valid('query');
      const page = await listAgents(c.get('deps').adb, c.get('principal').orgId, { limit, offset, enabled: enabled === undefined ? undefined : enabled === 'true' });
      return c.json({ ...page, limit, offset }, 200);
    })
    .openapi(getAgentRoute, async (c) => c.json(await findAgent(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id), 200))
    .openapi(createAgentRoute, async (c) => {
      const { agent, sipPassword } = await createAgent(depsOf(c), c.get('principal').orgId, c.req.valid('json'));
      return c.json({ ...agent, sip_password: sipPassword }, 201);
    })
    .openapi(updateAgentRoute, async (c) => {
      const { principal } = c.var;
      const { agent, warnings } = await updateAgent(depsOf(c), principal.orgId, c.req.valid('param').id, c.req.valid('json'), principal.id);
      return c.json({ ...agent, warnings }, 200);
    })
    .openapi(deleteAgentRoute, async (c) => {
      const { principal } = c.var;
      await deleteAgent(depsOf(c), principal.orgId, c.req.valid('param').id, principal.id);
      return c.body(null, 204);
    });
}
