import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { createQueue, deleteQueue, getQueue, listQueues, updateQueue } from '../../../services/queues/queue-service.ts';
import * as routes from './routes.ts';

export function queueRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(routes.listQueues, async (c) => c.json(await listQueues(c.get('deps').adb, c.get('principal').orgId), 200))
    .openapi(routes.getQueue, async (c) => c.json(await getQueue(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id), 200))
    .openapi(routes.createQueue, async (c) => c.json(await createQueue(c.get('deps').adb, c.get('principal').orgId, c.req.valid('json')), 201))
    .openapi(routes.updateQueue, async (c) => {
      const { adb, now } = c.get('deps');
      return c.json(await updateQueue(adb, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json'), now), 200);
    })
    .openapi(routes.deleteQueue, async (c) => {
      await deleteQueue(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
