import { existsSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { DEFAULT_VOICEMAIL_GREETING, renderGreeting, type GreetingRenderer } from './greeting.ts';

/** An extension's voicemail box as the call sees it: read live, so a new greeting plays without a publish. */
export interface Mailbox {
  greetingText: string;
  /** Rendered wav on disk, or null. */
  greetingFile: string | null;
}

/** The box of `extension`, read now (the call controller, before the greeting). */
export async function findMailbox(db: Db, orgId: string, extension: string): Promise<Mailbox> {
  const { extensions: e } = db.t;
  const [row] = await db.select({ text: e.voicemailGreeting, file: e.voicemailGreetingFile }).from(e)
    .where(and(eq(e.orgId, orgId), eq(e.number, extension))).limit(1);
  const file = row?.file ?? null;
  return { greetingText: row?.text ?? DEFAULT_VOICEMAIL_GREETING, greetingFile: file !== null && existsSync(file) ? file : null };
}

/**
 * The greeting to play: the box's rendered file, else a render now (cached on disk by content, so the
 * default greeting is made once per directory), else null (the caller hears only the beep).
 */
export async function greetingFile(box: Mailbox, renderer: GreetingRenderer | undefined): Promise<string | null> {
  if (box.greetingFile) return box.greetingFile;
  if (!renderer) return null;
  return (await renderGreeting(renderer, box.greetingText)).path;
}
