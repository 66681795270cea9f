import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { AppDeps, AppEnv } from '../context.ts';
import { lazyChild } from '../../runtime/logger.ts';
import { requestHeader } from '../request-headers.ts';

const REQUEST_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Puts deps, a request id (echoed as X-Request-Id) and a request logger on the context, and logs
 * failed requests (every request at debug). The logger is a pino child carrying the request id,
 * made on first use (lazyChild): most requests never log.
 */
export function requestContext(deps: AppDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const incoming = requestHeader(c, 'x-request-id');
    const requestId = incoming && REQUEST_ID_RE.test(incoming) ? incoming : randomUUID();
    const logger = lazyChild(deps.logger, { reqId: requestId });
    c.set('deps', deps);
    c.set('requestId', requestId);
    c.set('logger', logger);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    const status = c.res.status;
    if (status < 500 && !deps.logger.isLevelEnabled('debug')) return;
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const p = c.get('principal') as AppEnv['Variables']['principal'] | undefined;
    const line = { method: c.req.method, path: c.req.path, status, ms, org: p?.orgId, principal: p?.id };
    if (status >= 500) logger.error(line, 'request failed');
    else logger.debug(line, 'request');
  });
}
