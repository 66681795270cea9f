import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { publishOrganization, publishedVersion, publishedVersions } from '../../../services/publishing/publishing-service.ts';
import { validateDraft } from '../../../services/publishing/validate.ts';
import * as routes from './routes.ts';

/**
 * Publishing: POST /ivrs/{id}/publish compiles the whole org; POST /config/validate is its dry run;
 * /config/versions reads what was published.
 */
export function publishRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(routes.publishIvr, async (c) => {
      const { result, warnings } = await publishOrganization(c.get('deps'), c.get('principal'), c.req.valid('param').id);
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
    .openapi(routes.validateConfig, async (c) => c.json(await validateDraft(c.get('deps'), c.get('principal').orgId), 200))
    .openapi(routes.listVersions, async (c) => {
      const rows = await publishedVersions(c.get('deps').adb, c.get('principal').orgId, c.req.valid('query').limit);
      return c.json(
        rows.map((r) => ({ version: r.version, createdAt: r.createdAt, published_by: r.publishedBy, content_hash: r.contentHash, changed: r.changed })),
        200,
      );
    })
    .openapi(routes.getVersion, async (c) => {
      const snap = await publishedVersion(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').version);
      return c.json(snap as unknown as Record<string, unknown>, 200);
    });
}
