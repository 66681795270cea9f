/** Text-to-speech templates: named text with placeholders, per organization (names unique within it). */
import { and, asc, eq, or } from 'drizzle-orm';
import type { Db, Tables } from '../../db/handle.ts';
import { isUniqueViolation } from '../../db/order.ts';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import { parseTemplate } from './placeholders.ts';

export type TemplateRow = Tables['ttsTemplates']['$inferSelect'];

export interface TemplateInput {
  name: string;
  text: string;
  language?: string | undefined;
  voice?: string | null | undefined;
}

export type TemplatePatch = Partial<TemplateInput>;

/** The row `ref` names: the one with that id, else the one with that name. */
function pick(rows: TemplateRow[], ref: string): TemplateRow {
  const row = rows.find((r) => r.id === ref) ?? rows[0];
  if (!row) throw new NotFoundError('Template not found');
  return row;
}

/** By id or by name (the seed API addresses templates by `template_name`). */
export async function findTemplate(db: Db, orgId: string, ref: string): Promise<TemplateRow> {
  const { ttsTemplates } = db.t;
  return pick(await db.select().from(ttsTemplates).where(and(eq(ttsTemplates.orgId, orgId), or(eq(ttsTemplates.id, ref), eq(ttsTemplates.name, ref)))), ref);
}

const taken = (name: string, id: string) => new ConflictError(`Template "${name}" already exists`, { type: 'tts_template', id, name });

async function assertNameFree(db: Db, orgId: string, name: string, exceptId?: string): Promise<void> {
  const { ttsTemplates } = db.t;
  const [clash] = await db.select({ id: ttsTemplates.id }).from(ttsTemplates).where(and(eq(ttsTemplates.orgId, orgId), eq(ttsTemplates.name, name))).limit(1);
  if (clash && clash.id !== exceptId) throw taken(name, clash.id);
}

/** Another writer took the name between our check and our write: the unique index decides, and we name the winner. */
async function nameRace(db: Db, orgId: string, name: string, exceptId: string | undefined, err: unknown): Promise<never> {
  if (isUniqueViolation(err)) await assertNameFree(db, orgId, name, exceptId);
  throw err;
}

export async function listTemplates(db: Db, orgId: string): Promise<TemplateRow[]> {
  const { ttsTemplates } = db.t;
  return db.select().from(ttsTemplates).where(eq(ttsTemplates.orgId, orgId)).orderBy(asc(ttsTemplates.name));
}

export async function createTemplate(db: Db, orgId: string, input: TemplateInput, defaultLanguage: string): Promise<TemplateRow> {
  parseTemplate(input.text);
  await assertNameFree(db, orgId, input.name);
  try {
    const [row] = await db.insert(db.t.ttsTemplates)
      .values({ orgId, name: input.name, text: input.text, language: input.language ?? defaultLanguage, voice: input.voice ?? null })
      .returning();
    return row!;
  } catch (err) {
    return nameRace(db, orgId, input.name, undefined, err);
  }
}

/** Partial update. A new text, language or voice is a new template to speak: a past synthesis error no longer applies. */
export async function updateTemplate(db: Db, orgId: string, id: string, patch: TemplatePatch): Promise<TemplateRow> {
  const { ttsTemplates } = db.t;
  const current = await findTemplate(db, orgId, id);
  if (patch.text !== undefined) parseTemplate(patch.text);
  if (patch.name !== undefined && patch.name !== current.name) await assertNameFree(db, orgId, patch.name, current.id);
  const spoken = patch.text !== undefined || patch.language !== undefined || patch.voice !== undefined;
  const name = patch.name ?? current.name;
  try {
    const [row] = await db
      .update(ttsTemplates)
      .set({
        name,
        text: patch.text ?? current.text,
        language: patch.language ?? current.language,
        voice: patch.voice === undefined ? current.voice : patch.voice,
        ...(spoken ? { status: 'ready' as const, lastError: null } : {}),
      })
      .where(and(eq(ttsTemplates.orgId, orgId), eq(ttsTemplates.id, current.id)))
      .returning();
    return row ?? (await findTemplate(db, orgId, current.id));
  } catch (err) {
    return nameRace(db, orgId, name, current.id, err);
  }
}

export async function deleteTemplate(db: Db, orgId: string, id: string): Promise<void> {
  const { ttsTemplates } = db.t;
  const row = await findTemplate(db, orgId, id);
  await db.delete(ttsTemplates).where(and(eq(ttsTemplates.orgId, orgId), eq(ttsTemplates.id, row.id)));
}

/** What the last render did to the template. */
export async function recordRender(db: Db, orgId: string, id: string, at: string, error: string | null): Promise<void> {
  const { ttsTemplates } = db.t;
  await db.update(ttsTemplates)
    .set(error === null ? { status: 'ready', lastError: null, lastRenderedAt: at } : { status: 'error', lastError: error })
    .where(and(eq(ttsTemplates.orgId, orgId), eq(ttsTemplates.id, id)));
}
