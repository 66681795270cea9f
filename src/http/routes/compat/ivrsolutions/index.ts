/**
 * IVR Solutions' voice API on our services, under /compat/ivrsolutions: their paths, parameter names and
 * envelopes (README "Compatibility: IVR Solutions"). Each area is a file; kit.ts builds every route.
 */
import { vendorRouter } from './kit.ts';
import { callRoutes } from './calls.ts';

export function ivrSolutionsRoutes() {
  const r = vendorRouter();
  callRoutes(r);
  r.app.all('*', (c) => c.json({ status: 404, message: `IVR Solutions has no ${c.req.method} ${c.req.path.replace(/^\/compat\/ivrsolutions/, '')} here` }, 404));
  return r.app;
}
