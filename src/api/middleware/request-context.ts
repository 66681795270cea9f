import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { AppDeps, AppEnv } from '../context.ts';

const REQUEST_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

/** Puts deps, a request id (echoed as X-Request-Id) and a child logger on the context, and logs each request. */
export function requestContext(deps: AppDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && REQUEST_ID_RE.test(incoming) ? incoming : randomUUID();
    const logger = deps.logger.child({ reqId: requestId });
    c.set('deps', deps);
    c.set('requestId', requestId);
    c.set('logger', logger);
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    const status = c.res.status;
    if (status < 500 && !logger.isLevelEnabled('debug')) return;
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const p = c.get('principal') as AppEnv['Variables']['principal'] | undefined;
    const line = { method: c.req.method, path: c.req.path, status, ms, org: p?.orgId, principal: p?.id };
    if (status >= 500) logger.error(line, 'request failed');
    else logger.debug(line, 'request');
  });
}
