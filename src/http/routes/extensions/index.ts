import { OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { DEFAULT_VOICEMAIL_GREETING, greetingRenderer, renderGreeting } from '../../../services/voicemail/greeting.ts';
import { extensions } from '../../../db/schema/index.ts';
import { randomPassword } from '../../../services/auth/passwords.ts';
import { findNumberOwner, numberTakenMessage } from '../../../services/numbers/extension-numbers.ts';
import type { Db } from '../../../db/client.ts';
import { ConflictError, NotFoundError } from '../../../services/errors.ts';
import { createExtension, deleteExtension, getExtension, listExtensions, updateExtension } from './routes.ts';

type Row = typeof extensions.$inferSelect;

/** The API view of an extension: the SIP password is never part of it. */
const toDto = (r: Row) => ({
  id: r.id, number: r.number, name: r.name, voicemail_enabled: r.voicemailEnabled, voicemail_greeting: r.voicemailGreeting, enabled: r.enabled,
  createdAt: r.createdAt, updatedAt: r.updatedAt,
});

function findOwned(db: Db, orgId: string, id: string): Row {
  const row = db.select().from(extensions).where(and(eq(extensions.id, id), eq(extensions.orgId, orgId))).get();
  if (!row) throw new NotFoundError('Extension not found');
  return row;
}

/** 409 when the number is held by an IVR, queue or another extension of the org. */
function assertNumberFree(db: Db, orgId: string, number: string, selfId?: string) {
  const owner = findNumberOwner(db, orgId, number, selfId ? { type: 'extension', id: selfId } : undefined);
  if (owner) throw new ConflictError(numberTakenMessage(number, owner), { ...owner, number });
}

/**
 * The voicemail greeting's wav (rendered now, cached on disk by content). The admin's text must render
 * (a TTS failure fails the request); the default greeting that cannot render now is rendered on the first call.
 */
async function voicemailGreetingFile(c: Context<AppEnv>, text: string | null): Promise<string | null> {
  const { config, tts } = c.get('deps');
  const renderer = greetingRenderer(config, tts);
  if (text !== null) return renderGreeting(renderer, text, c.req.raw.signal);
  return renderGreeting(renderer, DEFAULT_VOICEMAIL_GREETING).catch((err: unknown) => {
    c.get('logger').warn({ err }, 'default voicemail greeting not rendered now; the first call renders it');
    return null;
  });
}

export function extensionRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listExtensions, (c) => {
      const rows = c.get('deps').db.select().from(extensions)
        .where(eq(extensions.orgId, c.get('principal').orgId)).orderBy(asc(extensions.number)).all();
      return c.json(rows.map(toDto), 200);
    })
    .openapi(getExtension, (c) => {
      const row = findOwned(c.get('deps').db, c.get('principal').orgId, c.req.valid('param').id);
      return c.json(toDto(row), 200);
    })
    .openapi(createExtension, async (c) => {
      const body = c.req.valid('json');
      const { db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const sipPassword = body.sip_password ?? randomPassword(18);
      const greeting = body.voicemail_greeting ?? null;
      const greetingFile = await voicemailGreetingFile(c, greeting);
      // IMMEDIATE: the namespace check and the insert hold the write lock together,
      // so two processes cannot both take the same number.
      const row = db.transaction((tx) => {
        assertNumberFree(tx, orgId, body.number);
        return tx.insert(extensions).values({
          orgId, number: body.number, name: body.name, sipPassword,
          voicemailEnabled: body.voicemail_enabled, voicemailGreeting: greeting, voicemailGreetingFile: greetingFile, enabled: body.enabled,
        }).returning().get();
      }, { behavior: 'immediate' });
      return c.json({ ...toDto(row), sip_password: sipPassword }, 201);
    })
    .openapi(updateExtension, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const { db, now } = c.get('deps');
      const orgId = c.get('principal').orgId;
      findOwned(db, orgId, id); // 404 before any rendering
      const greetingFile = body.voicemail_greeting === undefined ? undefined : await voicemailGreetingFile(c, body.voicemail_greeting);
      const row = db.transaction((tx) => {
        const current = findOwned(tx, orgId, id);
        if (body.number !== undefined && body.number !== current.number) assertNumberFree(tx, orgId, body.number, id);
        return tx.update(extensions).set({
          ...(body.number !== undefined && { number: body.number }),
          ...(body.name !== undefined && { name: body.name }),
          ...(body.sip_password !== undefined && { sipPassword: body.sip_password }),
          ...(body.voicemail_enabled !== undefined && { voicemailEnabled: body.voicemail_enabled }),
          ...(body.voicemail_greeting !== undefined && { voicemailGreeting: body.voicemail_greeting, voicemailGreetingFile: greetingFile }),
          ...(body.enabled !== undefined && { enabled: body.enabled }),
          updatedAt: now().toISOString(),
        }).where(eq(extensions.id, id)).returning().get();
      }, { behavior: 'immediate' });
      return c.json(toDto(row!), 200);
    })
    .openapi(deleteExtension, (c) => {
      const { id } = c.req.valid('param');
      const res = c.get('deps').db.delete(extensions)
        .where(and(eq(extensions.id, id), eq(extensions.orgId, c.get('principal').orgId))).run();
      if (res.changes === 0) throw new NotFoundError('Extension not found');
      return c.body(null, 204);
    });
}
