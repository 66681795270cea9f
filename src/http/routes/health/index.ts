import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { jsonContent } from '../../schemas.ts';
import type { Db } from '../../../db/handle.ts';

const SwitchStateSchema = z
  .object({ id: z.string().openapi({ example: 'fs1' }), connected: z.boolean() })
  .openapi('SwitchState', { description: "One switch's inbound ESL link (SWITCHES)" });

const HealthSchema = z
  .object({
    status: z.literal('ok'),
    switch: z.object({ connected: z.boolean().openapi({ description: 'At least one switch is connected' }), switches: z.array(SwitchStateSchema) }),
    calls: z.object({ active: z.number().int() }),
    time: z.string(),
  })
  .openapi('Health');

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['System'],
  summary: 'Liveness (the process answers), and which switches are connected',
  responses: { 200: jsonContent(HealthSchema, 'Service is up') },
});

const ReadySchema = z
  .object({
    ready: z.boolean(),
    database: z.enum(['ok', 'failed']),
    switch: z.enum(['connected', 'disconnected']).openapi({ description: '`connected` when at least one switch is' }),
    switches: z.array(SwitchStateSchema),
    draining: z.boolean(),
  })
  .openapi('Ready');

const ready = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['System'],
  summary: 'Ready for traffic: the database answers, at least one switch is connected, and the process is not draining (503 otherwise); `switches` lists each switch',
  responses: { 200: jsonContent(ReadySchema, 'Ready'), 503: jsonContent(ReadySchema, 'Not ready: the body says why') },
});

/** The database answers a trivial query (false when it throws: closed, locked beyond the busy timeout, gone). */
async function databaseAnswers(db: Db): Promise<boolean> {
  const { driver } = db;
  try {
    if (driver.dialect === 'postgres') await driver.pool.query('select 1');
    else await driver.gate.withRaw((raw) => raw.prepare('select 1').get());
    return true;
  } catch {
    return false;
  }
}

export function healthRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(ready, async (c) => {
      const h = c.get('deps').health();
      const database = await databaseAnswers(c.get('deps').adb);
      const draining = h.draining ?? false;
      const body = {
        ready: database && h.switchConnected && !draining, database: database ? 'ok' as const : 'failed' as const,
        switch: h.switchConnected ? 'connected' as const : 'disconnected' as const, switches: [...(h.switches ?? [])], draining,
      };
      return body.ready ? c.json(body, 200) : c.json(body, 503);
    })
    .openapi(health, (c) => {
    const h = c.get('deps').health();
    return c.json(
      { status: 'ok' as const, switch: { connected: h.switchConnected, switches: [...(h.switches ?? [])] }, calls: { active: h.activeCalls }, time: c.get('deps').now().toISOString() },
      200,
    );
  });
}
