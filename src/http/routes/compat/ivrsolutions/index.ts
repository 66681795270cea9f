/**
 * IVR Solutions' voice API on our services, under /compat/ivrsolutions: their paths, parameter names and
 * envelopes (README "Compatibility: IVR Solutions"). Each area is a file; kit.ts builds every route.
 */
import { vendorRouter } from './kit.ts';
import { callRoutes } from './calls.ts';
import { maskingRoutes } from './masking.ts';
import { dialerRoutes } from './dialers.ts';
import { templateRoutes } from './templates.ts';
import { agentRoutes } from './agents.ts';
import { logRoutes } from './logs.ts';
import { didRoutes } from './dids.ts';
import { botRoutes } from './bots.ts';
import { contactRoutes } from './contacts.ts';

export function ivrSolutionsRoutes() {
  const r = vendorRouter();
  for (const area of [callRoutes, maskingRoutes, dialerRoutes, templateRoutes, agentRoutes, logRoutes, didRoutes, botRoutes, contactRoutes]) area(r);
  r.app.all('*', (c) => c.json({ status: 404, message: `IVR Solutions has no ${c.req.method} ${c.req.path.replace(/^\/compat\/ivrsolutions/, '')} here` }, 404));
  return r.app;
}
