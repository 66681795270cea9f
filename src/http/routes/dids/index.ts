import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Principal } from '../../context.ts';
import * as svc from '../../../services/dids/did-service.ts';
import { addDid, didHistory, didStatusRoute, getDid, listDids, removeDid, routeDid } from './routes.ts';
import { didStatus } from '../../../services/dids/did-status.ts';
import { listPool, releasePoolDid, requestPoolDid } from './pool-routes.ts';

const actorOf = (p: Principal): svc.Actor => ({ id: p.id, kind: p.kind });

export function didRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listDids, async (c) => c.json((await svc.listOrgDids(c.get('deps').adb, c.get('principal').orgId)).map(svc.toDidDto), 200))
    .openapi(getDid, async (c) => c.json(svc.toDidDto(await svc.findOrgDid(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id)), 200))
    .openapi(routeDid, async (c) => {
      const { deps, principal } = c.var;
      const { did, published } = await svc.routeDid(deps.adb, principal.orgId, c.req.valid('param').id, c.req.valid('json'), actorOf(principal), deps.now());
      for (const w of published.warnings) c.get('logger').warn({ did: did.number }, w);
      return c.json({ ...svc.toDidDto(did), published: true as const, warnings: published.warnings }, 200);
    })
    .openapi(didStatusRoute, async (c) => c.json(await didStatus(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id), 200))
    .openapi(didHistory, async (c) => c.json(await svc.didHistoryFor(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id), 200))
    .openapi(addDid, async (c) => {
      const { deps, principal } = c.var;
      const row = await svc.addNumber(deps.adb, principal.orgId, c.req.valid('json'), actorOf(principal), deps.config.DEFAULT_COUNTRY_CODE);
      return c.json(svc.toDidDto(row), 201);
    })
    .openapi(removeDid, async (c) => {
      const { deps, principal } = c.var;
      await svc.releaseToPool(deps.adb, principal.orgId, c.req.valid('param').id, actorOf(principal), deps.now());
      return c.body(null, 204);
    })
    .openapi(listPool, async (c) => c.json((await svc.listPool(c.get('deps').adb)).map(svc.toPoolDto), 200))
    .openapi(requestPoolDid, async (c) => {
      const { deps, principal } = c.var;
      const { did, orgName } = await svc.requestFromPool(deps.adb, principal.orgId, c.req.valid('param').id, actorOf(principal), deps.now());
      return c.json({ message: `Number assigned to organization ${orgName}`, did: svc.toDidDto(did) }, 200);
    })
    .openapi(releasePoolDid, async (c) => {
      const { deps, principal } = c.var;
      const { did } = await svc.releaseToPool(deps.adb, principal.orgId, c.req.valid('param').id, actorOf(principal), deps.now());
      return c.json({ message: `DID ${did.number} released to pool`, did: svc.toDidDto(did) }, 200);
    });
}
