import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { matchesEtag, requestHeader } from '../../request-headers.ts';
import { toIvrDto } from '../../../services/ivrs/dto.ts';
import { getIvrWithMenu } from '../../../services/ivrs/queries.ts';
import { createIvrListQuery } from '../../../services/ivrs/list-query.ts';
import { createIvr, deleteIvrAndGreeting, updateIvr } from '../../../services/ivrs/ivr-service.ts';
import { putMenu } from '../../../services/ivrs/menu.ts';
import { generateGreeting, readGreeting } from '../../../services/ivrs/greeting.ts';
import * as routes from './routes.ts';

/** /api/v1/ivrs: IVR definitions, their menus and greetings (publish lives with src/publish). */
export function ivrRoutes() {
  // Prepared on first use; one app serves one database.
  let listIvrs: ReturnType<typeof createIvrListQuery> | undefined;
  return new OpenAPIHono<AppEnv>()
    .openapi(routes.listIvrs, async (c) => {
      const { body, etag } = await (listIvrs ??= createIvrListQuery(c.get('deps').adb))(c.get('principal').orgId);
      // Revalidation: the ETag changes with every write to the org's IVRs or menus (any instance).
      const requestId = c.get('requestId');
      if (matchesEtag(requestHeader(c, 'if-none-match'), etag)) {
        return new Response(null, { status: 304, headers: { etag, 'cache-control': 'private, no-cache', 'x-request-id': requestId } }) as never;
      }
      // Plain-object headers: @hono/node-server writes them as they are (see docs/decisions/005).
      return new Response(body, {
        status: 200,
        headers: { 'content-type': 'application/json', etag, 'cache-control': 'private, no-cache', 'x-request-id': requestId },
      }) as never;
    })
    .openapi(routes.getIvr, async (c) => c.json(await getIvrWithMenu(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id), 200))
    .openapi(routes.createIvr, async (c) => {
      const row = await createIvr(c.get('deps').adb, c.get('principal').orgId, c.req.valid('json'));
      c.get('logger').info({ ivrId: row.id, extension: row.extension }, 'ivr created');
      return c.json(toIvrDto(row), 201);
    })
    .openapi(routes.updateIvr, async (c) => {
      const row = await updateIvr(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json'));
      return c.json(toIvrDto(row), 200);
    })
    .openapi(routes.deleteIvr, async (c) => {
      const { id } = c.req.valid('param');
      const { adb: db, config } = c.get('deps');
      const refs = await deleteIvrAndGreeting({ db, config, logger: c.get('logger') }, c.get('principal').orgId, id);
      if (refs.dids.length === 0 && refs.references.length === 0) return c.body(null, 204);
      const parts = [
        refs.dids.length ? `${refs.dids.length} phone number(s) (${refs.dids.map((d) => d.number).join(', ')}) now route to nothing` : '',
        refs.references.length ? `${refs.references.length} other reference(s) point at the deleted IVR` : '',
      ].filter(Boolean);
      c.get('logger').warn({ ivrId: id, deadDids: refs.dids.length, references: refs.references.length }, 'ivr deleted while still referenced');
      return c.json(
        {
          success: true as const,
          message: `IVR deleted, but ${parts.join(' and ')}; re-route them before publishing`,
          dead_dids: refs.dids,
          dangling_references: refs.references,
        },
        200,
      );
    })
    .openapi(routes.putMenu, async (c) => {
      const { options } = c.req.valid('json');
      return c.json(await putMenu(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id, options), 200);
    })
    .openapi(routes.generateGreeting, async (c) => {
      const { adb: db, config, tts } = c.get('deps');
      const result = await generateGreeting(
        { db, config, tts, logger: c.get('logger') },
        c.get('principal').orgId,
        c.req.valid('param').id,
        c.req.valid('json'),
        c.req.raw.signal,
      );
      return c.json(result, 200);
    })
    .openapi(routes.greetingAudio, async (c) => {
      const { name, bytes } = await readGreeting(c.get('deps').adb, c.get('deps').config, c.get('principal').orgId, c.req.valid('param').id);
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': 'audio/wav',
        'content-length': String(bytes.length),
        'content-disposition': `inline; filename="${name}.wav"`,
        'cache-control': 'no-store',
      });
    });
}
