/** Text-to-speech templates: named text with placeholders, per organization (names unique within it). */
import { and, asc, eq, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Db as AsyncDb } from '../../db/handle.ts';
import { ttsTemplates } from '../../db/schema/index.ts';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import { parseTemplate } from './placeholders.ts';

export type TemplateRow = typeof ttsTemplates.$inferSelect;

export interface TemplateInput {
  name: string;
  text: string;
  language?: string | undefined;
  voice?: string | null | undefined;
}

export type TemplatePatch = Partial<TemplateInput>;

/** By id or by name (the seed API addresses templates by `template_name`). */
export function findTemplate(db: Db, orgId: string, ref: string): TemplateRow {
  const rows = db
    .select()
    .from(ttsTemplates)
    .where(and(eq(ttsTemplates.orgId, orgId), or(eq(ttsTemplates.id, ref), eq(ttsTemplates.name, ref))))
    .all();
  const row = rows.find((r) => r.id === ref) ?? rows[0];
  if (!row) throw new NotFoundError('Template not found');
  return row;
}

/** findTemplate on the async handle (placed calls and campaigns use it). */
export async function findTemplateAsync(db: AsyncDb, orgId: string, ref: string): Promise<TemplateRow> {
  const { ttsTemplates } = db.t;
  const rows = await db
    .select()
    .from(ttsTemplates)
    .where(and(eq(ttsTemplates.orgId, orgId), or(eq(ttsTemplates.id, ref), eq(ttsTemplates.name, ref))));
  const row = rows.find((r) => r.id === ref) ?? rows[0];
  if (!row) throw new NotFoundError('Template not found');
  return row;
}

function assertNameFree(db: Db, orgId: string, name: string, exceptId?: string): void {
  const clash = db.select().from(ttsTemplates).where(and(eq(ttsTemplates.orgId, orgId), eq(ttsTemplates.name, name))).get();
  if (clash && clash.id !== exceptId) throw new ConflictError(`Template "${name}" already exists`, { type: 'tts_template', id: clash.id, name });
}

export function listTemplates(db: Db, orgId: string): TemplateRow[] {
  return db.select().from(ttsTemplates).where(eq(ttsTemplates.orgId, orgId)).orderBy(asc(ttsTemplates.name)).all();
}

export function createTemplate(db: Db, orgId: string, input: TemplateInput, defaultLanguage: string): TemplateRow {
  parseTemplate(input.text);
  assertNameFree(db, orgId, input.name);
  return db
    .insert(ttsTemplates)
    .values({ orgId, name: input.name, text: input.text, language: input.language ?? defaultLanguage, voice: input.voice ?? null })
    .returning()
    .get();
}

/** Partial update. A new text, language or voice is a new template to speak: a past synthesis error no longer applies. */
export function updateTemplate(db: Db, orgId: string, id: string, patch: TemplatePatch): TemplateRow {
  const current = findTemplate(db, orgId, id);
  if (patch.text !== undefined) parseTemplate(patch.text);
  if (patch.name !== undefined && patch.name !== current.name) assertNameFree(db, orgId, patch.name, current.id);
  const spoken = patch.text !== undefined || patch.language !== undefined || patch.voice !== undefined;
  return db
    .update(ttsTemplates)
    .set({
      name: patch.name ?? current.name,
      text: patch.text ?? current.text,
      language: patch.language ?? current.language,
      voice: patch.voice === undefined ? current.voice : patch.voice,
      ...(spoken ? { status: 'ready' as const, lastError: null } : {}),
    })
    .where(and(eq(ttsTemplates.orgId, orgId), eq(ttsTemplates.id, current.id)))
    .returning()
    .get()!;
}

export function deleteTemplate(db: Db, orgId: string, id: string): void {
  const row = findTemplate(db, orgId, id);
  db.delete(ttsTemplates).where(and(eq(ttsTemplates.orgId, orgId), eq(ttsTemplates.id, row.id))).run();
}

/** What the last render did to the template. */
export function recordRender(db: Db, orgId: string, id: string, at: string, error: string | null): void {
  db.update(ttsTemplates)
    .set(error === null ? { status: 'ready', lastError: null, lastRenderedAt: at } : { status: 'error', lastError: error })
    .where(and(eq(ttsTemplates.orgId, orgId), eq(ttsTemplates.id, id)))
    .run();
}
