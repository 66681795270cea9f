/**
 * A campaign's numbers: one, up to 100 in one request, or a batch of records. Each is validated and
 * normalized to E.164; a number already in the campaign (or twice in the request) is reported as a
 * duplicate and kept once: the unique index (campaign, number) makes that hold with several writers too.
 * For a template campaign, a record missing one of the template's named values is refused up front
 * rather than failing when dialled.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { sqliteOf, type Db } from '../../db/client.ts';
import { campaignNumbers, contactListMembers, contacts, ttsTemplates } from '../../db/schema/index.ts';
import { ValidationError } from '../../domain/errors.ts';
import { normalizeE164 } from '../numbers/phone.ts';
import { parseTemplate } from '../tts-templates/placeholders.ts';
import { getCampaign, type CampaignRow } from './campaign-service.ts';

export const MAX_NUMBERS_PER_REQUEST = 100;
export const MAX_BATCH_RECORDS = 10_000;
const MAX_VARIABLES = 50;
const VARIABLE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

export interface NumberRecord {
  number: string;
  variables?: Record<string, string | number> | undefined;
  country_code?: string | undefined;
}

export interface AddResult {
  added: number;
  duplicates: Array<{ index: number; number: string }>;
  invalid: Array<{ index: number; value: string; message: string }>;
}

/** A flat record (`{number, name, order_id}`) or one with `variables`: every other field is a variable. */
export function recordFrom(raw: Record<string, unknown>): NumberRecord {
  const { number, phone, variables, country_code: cc, ...rest } = raw;
  const vars: Record<string, string | number> = {};
  for (const [k, v] of Object.entries({ ...rest, ...(variables && typeof variables === 'object' ? variables : {}) })) {
    if (typeof v === 'string' || typeof v === 'number') vars[k] = v;
  }
  return { number: String(number ?? phone ?? ''), variables: vars, ...(typeof cc === 'string' ? { country_code: cc } : {}) };
}

export function addNumbers(db: Db, defaultCountryCode: string, orgId: string, campaignId: string, records: readonly NumberRecord[], limit: number): AddResult {
  if (records.length === 0) throw new ValidationError('No numbers given', [{ field: 'numbers', message: 'at least one' }]);
  if (records.length > limit) {
    throw new ValidationError(`At most ${limit} numbers per request`, [{ field: 'numbers', message: `${records.length} given; send at most ${limit} (or use /numbers/batch)` }]);
  }
  const campaign = getCampaign(db, orgId, campaignId);
  const needed = requiredVariables(db, campaign);
  const result: AddResult = { added: 0, duplicates: [], invalid: [] };
  const sqlite = sqliteOf(db);
  const insert = sqlite.prepare(`insert into campaign_numbers (id, campaign_id, org_id, number, variables, status, attempts, next_attempt_at, answered, created_at, updated_at)
    values (?, ?, ?, ?, ?, 'pending', 0, 0, 0, ?, ?) on conflict (campaign_id, number) do nothing`);
  const at = new Date().toISOString();
  sqlite.transaction(() => {
    records.forEach((r, index) => {
      const number = normalizeE164(r.number, (r.country_code ?? defaultCountryCode).replace(/^\+/, ''));
      if (!number) return void result.invalid.push({ index, value: r.number, message: 'not a valid phone number' });
      const vars = variablesOf(r.variables ?? {});
      if (typeof vars === 'string') return void result.invalid.push({ index, value: r.number, message: vars });
      const missing = needed.filter((k) => vars[k] === undefined);
      if (missing.length > 0) return void result.invalid.push({ index, value: r.number, message: `missing variable ${missing.join(', ')} (the campaign's template needs it)` });
      if (insert.run(randomUUID(), campaign.id, orgId, number, JSON.stringify(vars), at, at).changes === 1) result.added++;
      else result.duplicates.push({ index, number });
    });
  })();
  return result;
}

/** Adds the members of a contact list (the contact's name and variables become the number's). */
export function addListMembers(db: Db, defaultCountryCode: string, orgId: string, campaignId: string, listId: string): AddResult {
  const members = db.select({ phone: contacts.phone, name: contacts.name, variables: contacts.variables })
    .from(contactListMembers).innerJoin(contacts, eq(contacts.id, contactListMembers.contactId))
    .where(and(eq(contactListMembers.listId, listId), eq(contacts.orgId, orgId))).all();
  if (members.length === 0) return { added: 0, duplicates: [], invalid: [] };
  return addNumbers(db, defaultCountryCode, orgId, campaignId, members.map((m) => ({ number: m.phone, variables: { name: m.name, ...m.variables } })), Number.MAX_SAFE_INTEGER);
}

/** Variables as stored (strings), or why they cannot be. */
function variablesOf(v: Record<string, string | number>): Record<string, string> | string {
  const entries = Object.entries(v);
  if (entries.length > MAX_VARIABLES) return `at most ${MAX_VARIABLES} variables`;
  const out: Record<string, string> = {};
  for (const [k, val] of entries) {
    if (!VARIABLE_KEY.test(k)) return `variable name ${JSON.stringify(k.slice(0, 40))}: letters, digits and _ (at most 40)`;
    const s = String(val);
    if (s.length > 500) return `variable ${k}: at most 500 characters`;
    out[k] = s;
  }
  return out;
}

/** The named placeholders a template campaign fills from each number's variables. */
function requiredVariables(db: Db, c: CampaignRow): string[] {
  if (c.play.kind !== 'tts') return [];
  const t = db.select({ text: ttsTemplates.text }).from(ttsTemplates).where(eq(ttsTemplates.id, c.play.templateId)).get();
  return t ? parseTemplate(t.text).placeholders.filter((p) => !/^\d+$/.test(p)) : [];
}

export type CampaignNumberRow = typeof campaignNumbers.$inferSelect;

export function listCampaignNumbers(db: Db, orgId: string, campaignId: string, q: { status?: string | undefined; limit: number; offset: number }): { rows: CampaignNumberRow[]; total: number } {
  getCampaign(db, orgId, campaignId);
  const where = and(eq(campaignNumbers.campaignId, campaignId), q.status ? eq(campaignNumbers.status, q.status) : undefined);
  const rows = db.select().from(campaignNumbers).where(where).orderBy(asc(campaignNumbers.createdAt), asc(campaignNumbers.id)).limit(q.limit).offset(q.offset).all();
  const total = db.select({ n: sql<number>`count(*)` }).from(campaignNumbers).where(where).get()?.n ?? 0;
  return { rows, total };
}
