import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context.ts';
import { createAuthenticate } from '../../../middleware/auth.ts';
import { NotFoundError } from '../../../../domain/errors.ts';
import { createSmartfloIvr, getSmartfloIvr, listSmartfloIvrs } from '../../../../services/compat/smartflo/ivrs.ts';
import { parseVendor, readBody, vendorRoute } from '../vendor-request.ts';
import { vendorErrorHandler } from '../vendor-errors.ts';
import { SMARTFLO_BODY_RULES, SmartfloIvrBody } from './schemas.ts';
import * as routes from './routes.ts';

/**
 * Tata Smartflo's IVR API over our IVR services, mounted at /compat/smartflo: Smartflo's paths, fields and
 * `{success, message}` answers (failures too), our credentials (Bearer JWT or X-API-Key) and permissions.
 */
export function smartfloRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.onError(vendorErrorHandler((f) => ({ success: false, message: f.message })));
  app.use('*', createAuthenticate());

  vendorRoute(app, routes.createSmartfloIvr, async (c) => {
    const input = parseVendor(SmartfloIvrBody, await readBody(c, SMARTFLO_BODY_RULES));
    const { adb, config } = c.get('deps');
    const ivr = await createSmartfloIvr({ db: adb, config }, c.get('principal').orgId, { ...input, option: input.option.map(String) });
    c.get('logger').info({ ivrId: ivr.id }, 'ivr created (smartflo)');
    c.header('Location', `/compat/smartflo/v1/ivr/${ivr.id}`);
    return c.json({ success: true, message: `IVR "${ivr.name}" created: id ${ivr.id}` }, 200);
  });
  vendorRoute(app, routes.listSmartfloIvrs, async (c) => c.json(await listSmartfloIvrs(c.get('deps').adb, c.get('principal').orgId), 200));
  vendorRoute(app, routes.getSmartfloIvr, async (c) => c.json(await getSmartfloIvr(c.get('deps').adb, c.get('principal').orgId, c.req.param('id') ?? ''), 200));

  app.all('*', (c) => {
    throw new NotFoundError(`No Smartflo API ${c.req.method} ${c.req.path.replace(/^\/compat\/smartflo/, '')} here`);
  });
  return app;
}
