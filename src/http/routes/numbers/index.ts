/** /api/v1/numbers: regions, search and purchase through the NumberProvider (default: the number pool). */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { ValidationError } from '../../../domain/errors.ts';
import { normalizeE164 } from '../../../services/numbers/phone.ts';
import type { NumberProvider } from '../../../services/numbers/number-provider.ts';
import { poolNumberProvider } from '../../../services/numbers/pool-provider.ts';
import { availableRoute, purchaseRoute, regionsRoute } from './routes.ts';

const providerOf = (c: Context<AppEnv>): NumberProvider => {
  const { numbers, adb, config, now } = c.get('deps');
  return numbers ?? poolNumberProvider(adb, { defaultCountryCode: config.DEFAULT_COUNTRY_CODE, now });
};

export function numberRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(regionsRoute, async (c) => c.json(await providerOf(c).regions(), 200))
    .openapi(availableRoute, async (c) => {
      const q = c.req.valid('query');
      return c.json({ ...(await providerOf(c).search(q)), limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(purchaseRoute, async (c) => {
      const { principal, deps } = c.var;
      const number = normalizeE164(c.req.valid('json').number, deps.config.DEFAULT_COUNTRY_CODE);
      if (!number) throw new ValidationError('Invalid number', [{ field: 'number', message: 'not a valid phone number' }]);
      const did = await providerOf(c).purchase(principal.orgId, number, { id: principal.id, kind: principal.kind });
      return c.json({ message: `Number ${did.number} added to your organization`, did }, 201);
    });
}
