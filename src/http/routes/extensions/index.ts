import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import * as svc from '../../../services/extensions/extension-service.ts';
import { extensionsWithState } from '../../../services/extensions/extension-state.ts';
import type { RenderedGreeting } from '../../../services/voicemail/greeting.ts';
import { createExtension, deleteExtension, getExtension, listExtensions, updateExtension } from './routes.ts';

/** The API view of an extension: the SIP password is never part of it. */
const toDto = (r: svc.ExtensionRow) => ({
  id: r.id, number: r.number, name: r.name, voicemail_enabled: r.voicemailEnabled, voicemail_greeting: r.voicemailGreeting, enabled: r.enabled,
  createdAt: r.createdAt, updatedAt: r.updatedAt,
});

/** How this request's voicemail greeting was rendered (engine and voice), or null. */
const greetingTts = (g: RenderedGreeting | null) => (g ? { engine: g.engine, voice: g.voice, cached: g.cached } : null);

/** The service's collaborators for this request: a client that goes away stops the greeting's rendering. */
const depsOf = (c: Context<AppEnv>): svc.ExtensionDeps => {
  const { adb, config, tts } = c.get('deps');
  return { db: adb, config, tts, logger: c.get('logger'), signal: c.req.raw.signal };
};

export function extensionRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listExtensions, async (c) => {
      const { adb, registrations } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const rows = await extensionsWithState(adb, registrations, orgId, await svc.listExtensions(adb, orgId));
      return c.json(rows.map(({ row, owner, registration }) => ({ ...toDto(row), owner, registration })), 200);
    })
    .openapi(getExtension, async (c) => {
      const { adb, registrations } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const [one] = await extensionsWithState(adb, registrations, orgId, [await svc.getExtension(adb, orgId, c.req.valid('param').id)]);
      return c.json({ ...toDto(one!.row), owner: one!.owner, registration: one!.registration }, 200);
    })
    .openapi(createExtension, async (c) => {
      const { row, sipPassword, greeting } = await svc.createExtension(depsOf(c), c.get('principal').orgId, c.req.valid('json'));
      return c.json({ ...toDto(row), sip_password: sipPassword, voicemail_greeting_tts: greetingTts(greeting) }, 201);
    })
    .openapi(updateExtension, async (c) => {
      const { row, greeting } = await svc.updateExtension(depsOf(c), c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json'), c.get('deps').now);
      return c.json({ ...toDto(row), voicemail_greeting_tts: greetingTts(greeting) }, 200);
    })
    .openapi(deleteExtension, async (c) => {
      await svc.deleteExtension(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
