import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { simulateCall } from '../../../simulate/simulate.ts';
import * as routes from './routes.ts';

/** POST /simulate: the call simulator (src/simulate) for the caller's organization. */
export function simulatorRoutes() {
  return new OpenAPIHono<AppEnv>().openapi(routes.simulate, async (c) => {
    const result = await simulateCall(c.get('deps'), c.get('principal').orgId, c.req.valid('json'));
    return c.json(result, 200);
  });
}
