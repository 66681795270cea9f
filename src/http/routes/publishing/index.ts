import { OpenAPIHono } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { AppEnv } from '../../context.ts';
import { ivrs } from '../../../db/schema/index.ts';
import { soundsDir } from '../../../runtime/env.ts';
import { NotFoundError } from '../../../services/errors.ts';
import { publish } from '../../../publish/publish.ts';
import type { Problem } from '../../../publish/compile.ts';
import { switchChanges } from '../../../publish/callcenter.ts';
import { snapshotByVersion } from '../../../publish/store.ts';
import { listVersions } from '../../../publish/versions.ts';
import * as routes from './routes.ts';

/** Publishing: POST /ivrs/{id}/publish compiles the whole org; /config/versions reads what was published. */
export function publishRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(routes.publishIvr, async (c) => {
      const { db, config, switchControl, now } = c.get('deps');
      const p = c.get('principal');
      const { id } = c.req.valid('param');
      const ivr = db.select({ id: ivrs.id }).from(ivrs).where(and(eq(ivrs.id, id), eq(ivrs.orgId, p.orgId))).get();
      if (!ivr) throw new NotFoundError('IVR not found');

      const result = publish(db, p.orgId, { actorId: p.id, soundsDir: soundsDir(config), now: now() });
      const warnings: Problem[] = [...result.warnings];
      try {
        const applied = await switchControl.applyPublished(switchChanges(result.snapshot, result.changed ? result.previous : result.snapshot));
        for (const e of applied.errors) warnings.push({ code: 'switch_error', message: `FreeSWITCH: ${e}`, path: 'switch' });
      } catch (err) {
        warnings.push({ code: 'switch_error', message: `FreeSWITCH: ${err instanceof Error ? err.message : String(err)}`, path: 'switch' });
      }
      c.get('logger').info({ version: result.version, changed: result.changed, warnings: warnings.length }, 'configuration published');
      return c.json(
        {
          success: true as const,
          message: `Configuration deployed for organization ${result.snapshot.orgName}`,
          version: result.version,
          changed: result.changed,
          warnings,
        },
        200,
      );
    })
    .openapi(routes.listVersions, (c) => {
      const { limit } = c.req.valid('query');
      const rows = listVersions(c.get('deps').db, c.get('principal').orgId, limit);
      return c.json(
        rows.map((r) => ({ version: r.version, createdAt: r.createdAt, published_by: r.publishedBy, content_hash: r.contentHash, changed: r.changed })),
        200,
      );
    })
    .openapi(routes.getVersion, (c) => {
      const { version } = c.req.valid('param');
      const snap = snapshotByVersion(c.get('deps').db, c.get('principal').orgId, version);
      if (!snap) throw new NotFoundError(`Configuration version ${version} not found`);
      return c.json(snap as unknown as Record<string, unknown>, 200);
    });
}
