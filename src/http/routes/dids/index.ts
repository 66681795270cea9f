import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, Principal } from '../../context.ts';
import * as svc from '../../../services/dids/did-service.ts';
import { addDid, didHistory, didStatusRoute, getDid, listDids, removeDid, routeDid } from './routes.ts';
import { didStatus } from '../../../services/dids/did-status.ts';
import { listPool, releasePoolDid, requestPoolDid } from './pool-routes.ts';

const actorOf = (p: Principal): svc.Actor => ({ id: p.id, kind: p.kind });

export function didRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listDids, (c) => c.json(svc.listOrgDids(c.get('deps').db, c.get('principal').orgId).map(svc.toDidDto), 200))
    .openapi(getDid, (c) => c.json(svc.toDidDto(svc.findOrgDid(c.get('deps').db, c.get('principal').orgId, c.req.valid('param').id)), 200))
    .openapi(routeDid, (c) => {
      const { deps, principal } = c.var;
      const { did, published } = svc.routeDid(deps.db, principal.orgId, c.req.valid('param').id, c.req.valid('json'), actorOf(principal), deps.now());
      for (const w of published.warnings) c.get('logger').warn({ did: did.number }, w);
      return c.json({ ...svc.toDidDto(did), published: true as const, warnings: published.warnings }, 200);
    })
    .openapi(didStatusRoute, (c) => c.json(didStatus(c.get('deps').db, c.get('principal').orgId, c.req.valid('param').id), 200))
    .openapi(didHistory, (c) => c.json(svc.didHistoryFor(c.get('deps').db, c.get('principal').orgId, c.req.valid('param').id), 200))
    .openapi(addDid, (c) => {
      const { deps, principal } = c.var;
      const row = svc.addNumber(deps.db, principal.orgId, c.req.valid('json'), actorOf(principal), deps.config.DEFAULT_COUNTRY_CODE);
      return c.json(svc.toDidDto(row), 201);
    })
    .openapi(removeDid, (c) => {
      const { deps, principal } = c.var;
      svc.releaseToPool(deps.db, principal.orgId, c.req.valid('param').id, actorOf(principal), deps.now());
      return c.body(null, 204);
    })
    .openapi(listPool, (c) => c.json(svc.listPool(c.get('deps').db).map(svc.toPoolDto), 200))
    .openapi(requestPoolDid, (c) => {
      const { deps, principal } = c.var;
      const { did, orgName } = svc.requestFromPool(deps.db, principal.orgId, c.req.valid('param').id, actorOf(principal), deps.now());
      return c.json({ message: `Number assigned to organization ${orgName}`, did: svc.toDidDto(did) }, 200);
    })
    .openapi(releasePoolDid, (c) => {
      const { deps, principal } = c.var;
      const { did } = svc.releaseToPool(deps.db, principal.orgId, c.req.valid('param').id, actorOf(principal), deps.now());
      return c.json({ message: `DID ${did.number} released to pool`, did: svc.toDidDto(did) }, 200);
    });
}
