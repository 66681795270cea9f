import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { jsonContent } from '../../schemas.ts';

const HealthSchema = z
  .object({
    status: z.literal('ok'),
    switch: z.object({ connected: z.boolean() }),
    calls: z.object({ active: z.number().int() }),
    time: z.string(),
  })
  .openapi('Health');

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['System'],
  summary: 'Liveness, and whether FreeSWITCH is connected',
  responses: { 200: jsonContent(HealthSchema, 'Service is up') },
});

export function healthRoutes() {
  return new OpenAPIHono<AppEnv>().openapi(health, (c) => {
    const h = c.get('deps').health();
    return c.json(
      { status: 'ok' as const, switch: { connected: h.switchConnected }, calls: { active: h.activeCalls }, time: c.get('deps').now().toISOString() },
      200,
    );
  });
}
