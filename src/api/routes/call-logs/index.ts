import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';

// Not built yet.
export function callLogRoutes() {
  return new OpenAPIHono<AppEnv>();
}
