import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';

// Not built yet.
export function didRoutes() {
  return new OpenAPIHono<AppEnv>();
}
