import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { createQueue, deleteQueue, getQueue, listQueues, updateQueue } from '../../../services/queues/queue-service.ts';
import * as routes from './routes.ts';

export function queueRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(routes.listQueues, (c) => c.json(listQueues(c.get('deps').db, c.get('principal').orgId), 200))
    .openapi(routes.getQueue, (c) => c.json(getQueue(c.get('deps').db, c.get('principal').orgId, c.req.valid('param').id), 200))
    .openapi(routes.createQueue, (c) => c.json(createQueue(c.get('deps').db, c.get('principal').orgId, c.req.valid('json')), 201))
    .openapi(routes.updateQueue, (c) => {
      const { db, now } = c.get('deps');
      return c.json(updateQueue(db, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json'), now), 200);
    })
    .openapi(routes.deleteQueue, (c) => {
      deleteQueue(c.get('deps').db, c.get('principal').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
