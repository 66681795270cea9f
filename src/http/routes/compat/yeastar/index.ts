import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../../../context.ts';
import { createAuthenticate } from '../../../middleware/auth.ts';
import { NotFoundError } from '../../../../domain/errors.ts';
import { getYeastarIvr, listYeastarIvrs, type YeastarDeps } from '../../../../services/compat/yeastar/ivrs.ts';
import { updateYeastarIvr } from '../../../../services/compat/yeastar/ivr-update.ts';
import { REQUIRED, parseVendor, readBody, vendorRoute } from '../vendor-request.ts';
import { vendorErrorHandler, type VendorFailure } from '../vendor-errors.ts';
import { GetIvrQuery, ListIvrsQuery, UPDATE_BODY_RULES, UpdateIvrBody, UpdateIvrQuery } from './schemas.ts';
import * as routes from './routes.ts';

const SUCCESS = { errcode: 0, errmsg: 'SUCCESS' } as const;

/** The Yeastar services run on the async data layer (src/db/handle.ts). */
const yeastarDeps = (deps: AppDeps): YeastarDeps => ({ db: deps.adb, config: deps.config });

/**
 * A failure in Yeastar's envelope: errcode 40002 "PARAMETER ERROR" with `invalid_param_list` for bad fields (as
 * Yeastar answers them), errcode -1 "FAILURE" otherwise, naming the parameter at fault (access_token, id) in
 * `invalid_param_list` or the taken number in `duplicate_field_list`. Each entry's `message` says why.
 */
function yeastarEnvelope(f: VendorFailure): object {
  const { message } = f;
  switch (f.code) {
    case 'validation_error':
      return { errcode: 40002, errmsg: 'PARAMETER ERROR', invalid_param_list: f.fields.map((x) => ({ field: x.field, validation_type: x.message === REQUIRED ? 'required' : 'invalid', message: x.message })) };
    case 'unauthorized':
    case 'forbidden':
      return { errcode: -1, errmsg: 'FAILURE', invalid_param_list: [{ field: 'access_token', validation_type: f.code, message }] };
    case 'not_found': {
      const value = f.details.value === undefined ? {} : { value: String(f.details.value as string) };
      return { errcode: -1, errmsg: 'FAILURE', invalid_param_list: [{ field: String(f.details.field as string | undefined ?? 'id'), ...value, validation_type: 'not_found', message }] };
    }
    case 'conflict': {
      const conflict = (f.details.conflict ?? {}) as { number?: string };
      return { errcode: -1, errmsg: 'FAILURE', duplicate_field_list: [{ field: 'number', value: conflict.number ?? '', message }] };
    }
    default:
      return f.status >= 500 ? { errcode: -1, errmsg: 'FAILURE' } : { errcode: -1, errmsg: 'FAILURE', invalid_param_list: [{ field: '(request)', validation_type: f.code, message }] };
  }
}

/**
 * Yeastar P-series' IVR API over our IVR services, mounted at /compat/yeastar: Yeastar's paths
 * (/openapi/v1.0/ivr/get, …/list, …/update), fields and {errcode, errmsg} envelope; Yeastar's `access_token`
 * query parameter carries one of our credentials (an API key or a login JWT; the headers work too).
 */
export function yeastarRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.onError(vendorErrorHandler(yeastarEnvelope));
  app.use('*', createAuthenticate(undefined, { credentialParam: 'access_token' }));
  app.openAPIRegistry.registerComponent('securitySchemes', 'yeastarAccessToken', { type: 'apiKey', in: 'query', name: 'access_token' });

  vendorRoute(app, routes.getIvr, async (c) => {
    const { id } = parseVendor(GetIvrQuery, c.req.query());
    return c.json({ ...SUCCESS, data: await getYeastarIvr(yeastarDeps(c.get('deps')), c.get('principal').orgId, id) }, 200);
  });
  vendorRoute(app, routes.listIvrs, async (c) => {
    const query = parseVendor(ListIvrsQuery, c.req.query());
    return c.json({ ...SUCCESS, ...(await listYeastarIvrs(c.get('deps').adb, c.get('principal').orgId, query)) }, 200);
  });
  vendorRoute(app, routes.updateIvr, async (c) => {
    parseVendor(UpdateIvrQuery, c.req.query());
    const body = parseVendor(UpdateIvrBody, await readBody(c, UPDATE_BODY_RULES));
    await updateYeastarIvr(yeastarDeps(c.get('deps')), c.get('principal').orgId, body);
    c.get('logger').info({ yeastarId: body.id }, 'ivr updated (yeastar)');
    return c.json(SUCCESS, 200);
  });

  app.all('*', (c) => {
    const path = c.req.path.replace(/^\/compat\/yeastar/, '');
    throw new NotFoundError(`No Yeastar API ${c.req.method} ${path} here`, { field: 'api_path', value: path });
  });
  return app;
}
