/**
 * Extensions (SIP users): their fields, the shared number namespace, and the voicemail greeting,
 * rendered when it is saved.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Config } from '../../runtime/env.ts';
import type { Db } from '../../db/client.ts';
import { extensions } from '../../db/schema/index.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { TtsEngine } from '../../media/tts-engine.ts';
import { randomPassword } from '../auth/passwords.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { assertNumberFree } from '../numbers/extension-numbers.ts';
import { DEFAULT_VOICEMAIL_GREETING, greetingRenderer, renderGreeting, type RenderedGreeting } from '../voicemail/greeting.ts';

export type ExtensionRow = typeof extensions.$inferSelect;

/** What rendering a voicemail greeting needs; `signal` is the request's (a client gone stops the render). */
export interface ExtensionDeps {
  db: Db;
  config: Pick<Config, 'SOUNDS_DIR' | 'DATA_DIR' | 'TTS_SAMPLE_RATE'>;
  tts: TtsEngine;
  logger: Logger;
  signal?: AbortSignal | undefined;
}

export interface ExtensionFields {
  number?: string | undefined;
  name?: string | undefined;
  sip_password?: string | undefined;
  voicemail_enabled?: boolean | undefined;
  voicemail_greeting?: string | null | undefined;
  enabled?: boolean | undefined;
}

function findOwned(db: Db, orgId: string, id: string): ExtensionRow {
  const row = db.select().from(extensions).where(and(eq(extensions.id, id), eq(extensions.orgId, orgId))).get();
  if (!row) throw new NotFoundError('Extension not found');
  return row;
}

/**
 * The voicemail greeting's wav (rendered now, cached on disk by content). The admin's text must render
 * (a TTS failure fails the request); the default greeting that cannot render now is rendered on the first call.
 */
async function renderVoicemailGreeting(deps: ExtensionDeps, text: string | null): Promise<RenderedGreeting | null> {
  const renderer = greetingRenderer(deps.config, deps.tts);
  if (text !== null) return renderGreeting(renderer, text, deps.signal);
  return renderGreeting(renderer, DEFAULT_VOICEMAIL_GREETING).catch((err: unknown) => {
    deps.logger.warn({ err }, 'default voicemail greeting not rendered now; the first call renders it');
    return null;
  });
}

export function listExtensions(db: Db, orgId: string): ExtensionRow[] {
  return db.select().from(extensions).where(eq(extensions.orgId, orgId)).orderBy(asc(extensions.number)).all();
}

export function getExtension(db: Db, orgId: string, id: string): ExtensionRow {
  return findOwned(db, orgId, id);
}

/** Creates the extension; the SIP password is generated when not given (and returned once). */
export async function createExtension(
  deps: ExtensionDeps,
  orgId: string,
  body: { number: string; name: string; sip_password?: string | undefined; voicemail_enabled: boolean; voicemail_greeting?: string | null | undefined; enabled: boolean },
): Promise<{ row: ExtensionRow; sipPassword: string; greeting: RenderedGreeting | null }> {
  const { db } = deps;
  const sipPassword = body.sip_password ?? randomPassword(18);
  const greeting = body.voicemail_greeting ?? null;
  const rendered = await renderVoicemailGreeting(deps, greeting);
  const greetingFile = rendered?.path ?? null;
  // IMMEDIATE: the namespace check and the insert hold the write lock together,
  // so two processes cannot both take the same number.
  const row = db.transaction((tx) => {
    assertNumberFree(tx, orgId, body.number);
    return tx.insert(extensions).values({
      orgId, number: body.number, name: body.name, sipPassword,
      voicemailEnabled: body.voicemail_enabled, voicemailGreeting: greeting, voicemailGreetingFile: greetingFile, enabled: body.enabled,
    }).returning().get();
  }, { behavior: 'immediate' });
  return { row, sipPassword, greeting: rendered };
}

/** Updates the extension; `greeting` is the voicemail greeting rendered for a new voicemail_greeting (else null). */
export async function updateExtension(
  deps: ExtensionDeps, orgId: string, id: string, body: ExtensionFields, now: () => Date,
): Promise<{ row: ExtensionRow; greeting: RenderedGreeting | null }> {
  const { db } = deps;
  findOwned(db, orgId, id); // 404 before any rendering
  const rendered = body.voicemail_greeting === undefined ? null : await renderVoicemailGreeting(deps, body.voicemail_greeting);
  const greetingFile = rendered?.path ?? null;
  const row = db.transaction((tx) => {
    const current = findOwned(tx, orgId, id);
    if (body.number !== undefined && body.number !== current.number) assertNumberFree(tx, orgId, body.number, { type: 'extension', id });
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
  return { row: row!, greeting: rendered };
}

export function deleteExtension(db: Db, orgId: string, id: string): void {
  const res = db.delete(extensions).where(and(eq(extensions.id, id), eq(extensions.orgId, orgId))).run();
  if (res.changes === 0) throw new NotFoundError('Extension not found');
}

/** The extension with this number (enabled or not); 404 otherwise. */
export function findExtensionByNumber(db: Db, orgId: string, number: string): ExtensionRow {
  const row = db.select().from(extensions).where(and(eq(extensions.orgId, orgId), eq(extensions.number, number))).get();
  if (!row) throw new NotFoundError(`Extension ${number} not found`);
  return row;
}
