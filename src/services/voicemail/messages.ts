import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { and, count, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import type { voicemailMessages } from '../../db/schema/index.ts';
import { VoicemailNotFoundError } from './errors.ts';

/** The one place voicemail_messages is read and written (the call controller stores, the API lists and serves). */
export type VoicemailMessage = typeof voicemailMessages.$inferSelect;

export interface NewVoicemailMessage {
  id: string;
  orgId: string;
  extension: string;
  callLogId: string | null;
  caller: string | null;
  did: string | null;
  path: string;
  durationMs: number;
  createdAt: string;
}

/** The call controller's write. */
export async function saveMessage(db: Db, m: NewVoicemailMessage): Promise<VoicemailMessage> {
  const [row] = await db.insert(db.t.voicemailMessages).values(m).returning();
  return row!;
}

export interface MessageQuery {
  extension?: string | undefined;
  callLogId?: string | undefined;
  heard?: boolean | undefined;
  limit: number;
  offset: number;
}

/** A page of an organization's messages, newest first; `total` counts every match. */
export async function listMessages(db: Db, orgId: string, q: MessageQuery): Promise<{ messages: VoicemailMessage[]; total: number }> {
  const t = db.t.voicemailMessages;
  const where = and(
    eq(t.orgId, orgId),
    q.extension !== undefined ? eq(t.extension, q.extension) : undefined,
    q.callLogId !== undefined ? eq(t.callLogId, q.callLogId) : undefined,
    q.heard !== undefined ? eq(t.heard, q.heard) : undefined,
  );
  const messages = await db.select().from(t).where(where).orderBy(desc(t.createdAt), desc(t.id)).limit(q.limit).offset(q.offset);
  const [total] = await db.select({ n: count() }).from(t).where(where);
  return { messages, total: total?.n ?? 0 };
}

/** One message of the organization; another organization's message does not exist here. */
export async function getMessage(db: Db, orgId: string, id: string): Promise<VoicemailMessage> {
  const { voicemailMessages } = db.t;
  const [row] = await db.select().from(voicemailMessages).where(and(eq(voicemailMessages.id, id), eq(voicemailMessages.orgId, orgId))).limit(1);
  if (!row) throw new VoicemailNotFoundError('Voicemail message not found');
  return row;
}

export async function setHeard(db: Db, orgId: string, id: string, heard: boolean): Promise<VoicemailMessage> {
  const { voicemailMessages } = db.t;
  const [row] = await db.update(voicemailMessages).set({ heard })
    .where(and(eq(voicemailMessages.id, id), eq(voicemailMessages.orgId, orgId))).returning();
  if (!row) throw new VoicemailNotFoundError('Voicemail message not found');
  return row;
}

/** Deletes the row, then its file (a file already gone is fine). */
export async function deleteMessage(db: Db, orgId: string, id: string): Promise<void> {
  const { voicemailMessages } = db.t;
  const [row] = await db.delete(voicemailMessages).where(and(eq(voicemailMessages.id, id), eq(voicemailMessages.orgId, orgId))).returning();
  if (!row) throw new VoicemailNotFoundError('Voicemail message not found');
  await rm(row.path, { force: true });
}

/** The message's audio as a stream with its size; a file missing on disk is a not-found. */
export async function openMessageAudio(db: Db, orgId: string, id: string): Promise<{ message: VoicemailMessage; size: number; stream: Readable }> {
  const message = await getMessage(db, orgId, id);
  const size = await stat(message.path).then((s) => (s.isFile() ? s.size : -1), () => -1);
  if (size < 0) throw new VoicemailNotFoundError('Voicemail audio is missing on disk');
  return { message, size, stream: createReadStream(message.path) };
}
