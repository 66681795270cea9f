import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { isLoopback, remoteAddress, sameSecret } from '../../local-access.ts';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../../domain/errors.ts';

/**
 * GET /metrics: the Prometheus text format (src/metrics, wired in main.ts). Not behind login: with
 * METRICS_TOKEN set it takes `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise); without one only
 * callers on this host (403 otherwise): a Prometheus beside the server, or a reverse proxy scraping from inside.
 */
export function metricsRoutes() {
  return new OpenAPIHono<AppEnv>().get('/metrics', async (c) => {
    authorize(c);
    const metrics = c.get('deps').metrics;
    if (!metrics) throw new NotFoundError('Metrics are not enabled in this process');
    const text = await metrics.render();
    return c.body(text, 200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
  });
}

function authorize(c: Context<AppEnv>): void {
  const expected = c.get('deps').config.METRICS_TOKEN;
  if (expected) {
    const m = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!m?.[1] || !sameSecret(m[1], expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedError('GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    return;
  }
  if (!isLoopback(remoteAddress(c))) throw new ForbiddenError('/metrics accepts only local requests when METRICS_TOKEN is not set');
}
