/**
 * Extensions (SIP users): their fields, the shared number namespace, and the voicemail greeting,
 * rendered when it is saved.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Config } from '../../runtime/env.ts';
import { affectedRows, transaction, type Db, type Tables } from '../../db/handle.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { TtsEngine } from '../../media/tts-engine.ts';
import { randomPassword } from '../auth/passwords.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { assertNumberFree } from '../numbers/extension-numbers.ts';
import { DEFAULT_VOICEMAIL_GREETING, greetingRenderer, renderGreeting, type RenderedGreeting } from '../voicemail/greeting.ts';

export type ExtensionRow = Tables['extensions']['$inferSelect'];

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

async function findOwned(db: Db, orgId: string, id: string): Promise<ExtensionRow> {
  const { extensions } = db.t;
  const [row] = await db.select().from(extensions).where(and(eq(extensions.id, id), eq(extensions.orgId, orgId))).limit(1);
  if (!row) throw new NotFoundError('Extension not found');
  return row;
}

/**
 * The voicemail greeting's wav (rendered now, cached on disk by content). The admin's text must render
 * (a TTS failure fails the request); the default greeting that cannot render now is rendered on the first call.
 */
async function renderVoicemailGreeting(deps: Omit<ExtensionDeps, 'db'>, text: string | null): Promise<RenderedGreeting | null> {
  const renderer = greetingRenderer(deps.config, deps.tts);
  if (text !== null) return renderGreeting(renderer, text, deps.signal);
  return renderGreeting(renderer, DEFAULT_VOICEMAIL_GREETING).catch((err: unknown) => {
    deps.logger.warn({ err }, 'default voicemail greeting not rendered now; the first call renders it');
    return null;
  });
}

export async function listExtensions(db: Db, orgId: string): Promise<ExtensionRow[]> {
  const { extensions } = db.t;
  return db.select().from(extensions).where(eq(extensions.orgId, orgId)).orderBy(asc(extensions.number));
}

export function getExtension(db: Db, orgId: string, id: string): Promise<ExtensionRow> {
  return findOwned(db, orgId, id);
}

/** Creates the extension; the SIP password is generated when not given (and returned once). */
export async function createExtension(
  deps: ExtensionDeps,
  orgId: string,
  body: { number: string; name: string; sip_password?: string | undefined; voicemail_enabled: boolean; voicemail_greeting?: string | null | undefined; enabled: boolean },
): Promise<{ row: ExtensionRow; sipPassword: string; greeting: RenderedGreeting | null }> {
  const sipPassword = body.sip_password ?? randomPassword(18);
  const greeting = body.voicemail_greeting ?? null;
  const rendered = await renderVoicemailGreeting(deps, greeting);
  const greetingFile = rendered?.path ?? null;
  // One transaction: on SQLite the namespace check and the insert hold the connection together, so two
  // requests cannot both take the same number; on PostgreSQL (READ COMMITTED) the unique index refuses the second.
  const row = await transaction(deps.db, async (tx) => {
    await assertNumberFree(tx, orgId, body.number);
    const [inserted] = await tx.insert(tx.t.extensions).values({
      orgId, number: body.number, name: body.name, sipPassword,
      voicemailEnabled: body.voicemail_enabled, voicemailGreeting: greeting, voicemailGreetingFile: greetingFile, enabled: body.enabled,
    }).returning();
    return inserted!;
  });
  return { row, sipPassword, greeting: rendered };
}

/** The columns an update writes. */
const changes = (body: ExtensionFields, greetingFile: string | null, now: () => Date) => ({
  ...(body.number !== undefined && { number: body.number }),
  ...(body.name !== undefined && { name: body.name }),
  ...(body.sip_password !== undefined && { sipPassword: body.sip_password }),
  ...(body.voicemail_enabled !== undefined && { voicemailEnabled: body.voicemail_enabled }),
  ...(body.voicemail_greeting !== undefined && { voicemailGreeting: body.voicemail_greeting, voicemailGreetingFile: greetingFile }),
  ...(body.enabled !== undefined && { enabled: body.enabled }),
  updatedAt: now().toISOString(),
});

/** Updates the extension; `greeting` is the voicemail greeting rendered for a new voicemail_greeting (else null). */
export async function updateExtension(
  deps: ExtensionDeps, orgId: string, id: string, body: ExtensionFields, now: () => Date,
): Promise<{ row: ExtensionRow; greeting: RenderedGreeting | null }> {
  await findOwned(deps.db, orgId, id); // 404 before any rendering
  const rendered = body.voicemail_greeting === undefined ? null : await renderVoicemailGreeting(deps, body.voicemail_greeting);
  const greetingFile = rendered?.path ?? null;
  const row = await transaction(deps.db, async (tx) => {
    const { extensions } = tx.t;
    const current = await findOwned(tx, orgId, id);
    if (body.number !== undefined && body.number !== current.number) await assertNumberFree(tx, orgId, body.number, { type: 'extension', id });
    const [updated] = await tx.update(extensions).set(changes(body, greetingFile, now)).where(eq(extensions.id, id)).returning();
    return updated!;
  });
  return { row, greeting: rendered };
}

export async function deleteExtension(db: Db, orgId: string, id: string): Promise<void> {
  const { extensions } = db.t;
  const res = await db.delete(extensions).where(and(eq(extensions.id, id), eq(extensions.orgId, orgId)));
  if (affectedRows(res) === 0) throw new NotFoundError('Extension not found');
}

/** The extension with this number (enabled or not); 404 otherwise. */
export async function findExtensionByNumber(db: Db, orgId: string, number: string): Promise<ExtensionRow> {
  const { extensions } = db.t;
  const [row] = await db.select().from(extensions).where(and(eq(extensions.orgId, orgId), eq(extensions.number, number))).limit(1);
  if (!row) throw new NotFoundError(`Extension ${number} not found`);
  return row;
}

