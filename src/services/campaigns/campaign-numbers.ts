/**
 * A campaign's numbers: one, up to 100 in one request, or a batch of records. Each is validated and
 * normalized to E.164; a number already in the campaign (or twice in the request) is reported as a
 * duplicate and kept once: the unique index (campaign, number) makes that hold with several writers too.
 * For a template campaign, a record missing one of the template's named values is refused up front
 * rather than failing when dialled.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { transaction, type Db, type Tables } from '../../db/handle.ts';
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

export async function addNumbers(db: Db, defaultCountryCode: string, orgId: string, campaignId: string, records: readonly NumberRecord[], limit: number): Promise<AddResult> {
  if (records.length === 0) throw new ValidationError('No numbers given', [{ field: 'numbers', message: 'at least one' }]);
  if (records.length > limit) {
    throw new ValidationError(`At most ${limit} numbers per request`, [{ field: 'numbers', message: `${records.length} given; send at most ${limit} (or use /numbers/batch)` }]);
  }
  const campaign = await getCampaign(db, orgId, campaignId);
  const needed = await requiredVariables(db, campaign);
  const result: AddResult = { added: 0, duplicates: [], invalid: [] };
  const valid: ValidNumber[] = [];
  records.forEach((r, index) => {
    const number = normalizeE164(r.number, (r.country_code ?? defaultCountryCode).replace(/^\+/, ''));
    if (!number) return void result.invalid.push({ index, value: r.number, message: 'not a valid phone number' });
    const vars = variablesOf(r.variables ?? {});
    if (typeof vars === 'string') return void result.invalid.push({ index, value: r.number, message: vars });
    const missing = needed.filter((k) => vars[k] === undefined);
    if (missing.length > 0) return void result.invalid.push({ index, value: r.number, message: `missing variable ${missing.join(', ')} (the campaign's template needs it)` });
    valid.push({ index, id: randomUUID(), number, variables: vars });
  });
  if (valid.length === 0) return result;
  const inserted = await insertNumbers(db, campaign.id, orgId, valid, new Date().toISOString());
  for (const v of valid) {
    if (inserted.has(v.id)) result.added++;
    else result.duplicates.push({ index: v.index, number: v.number });
  }
  return result;
}

interface ValidNumber {
  index: number;
  id: string;
  number: string;
  variables: Record<string, string>;
}

/** Rows per multi-row INSERT on PostgreSQL (11 parameters each: well under its 65,535). */
const PG_INSERT_CHUNK = 1000;

/**
 * Inserts the numbers in one transaction, a number already in the campaign (or earlier in the list) kept
 * as it is; returns the ids of the rows inserted. SQLite: one prepared statement per row in one turn of
 * the connection (as fast as before); PostgreSQL: multi-row INSERTs, RETURNING the ids they inserted.
 */
async function insertNumbers(db: Db, campaignId: string, orgId: string, rows: readonly ValidNumber[], at: string): Promise<Set<string>> {
  const { driver } = db;
  if (driver.dialect === 'sqlite') {
    return driver.gate.withRaw((raw) => {
      const insert = raw.prepare(`insert into campaign_numbers (id, campaign_id, org_id, number, variables, status, attempts, next_attempt_at, answered, created_at, updated_at)
        values (?, ?, ?, ?, ?, 'pending', 0, 0, 0, ?, ?) on conflict (campaign_id, number) do nothing`);
      const done = new Set<string>();
      raw.transaction(() => {
        for (const r of rows) if (insert.run(r.id, campaignId, orgId, r.number, JSON.stringify(r.variables), at, at).changes === 1) done.add(r.id);
      })();
      return done;
    });
  }
  return transaction(db, async (tx) => {
    const { campaignNumbers } = tx.t;
    const done = new Set<string>();
    for (let i = 0; i < rows.length; i += PG_INSERT_CHUNK) {
      const chunk = rows.slice(i, i + PG_INSERT_CHUNK).map((r) => ({
        id: r.id, campaignId, orgId, number: r.number, variables: r.variables, status: 'pending', attempts: 0, nextAttemptAt: 0, answered: false, createdAt: at, updatedAt: at,
      }));
      const ids = await tx.insert(campaignNumbers).values(chunk).onConflictDoNothing({ target: [campaignNumbers.campaignId, campaignNumbers.number] }).returning({ id: campaignNumbers.id });
      for (const { id } of ids) done.add(id);
    }
    return done;
  });
}

/** Adds the members of a contact list (the contact's name and variables become the number's). */
export async function addListMembers(db: Db, defaultCountryCode: string, orgId: string, campaignId: string, listId: string): Promise<AddResult> {
  const { contactListMembers, contacts } = db.t;
  const members = await db.select({ phone: contacts.phone, name: contacts.name, variables: contacts.variables })
    .from(contactListMembers).innerJoin(contacts, eq(contacts.id, contactListMembers.contactId))
    .where(and(eq(contactListMembers.listId, listId), eq(contacts.orgId, orgId)));
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
async function requiredVariables(db: Db, c: CampaignRow): Promise<string[]> {
  const { ttsTemplates } = db.t;
  if (c.play.kind !== 'tts') return [];
  const [t] = await db.select({ text: ttsTemplates.text }).from(ttsTemplates).where(eq(ttsTemplates.id, c.play.templateId)).limit(1);
  return t ? parseTemplate(t.text).placeholders.filter((p) => !/^\d+$/.test(p)) : [];
}

export type CampaignNumberRow = Tables['campaignNumbers']['$inferSelect'];

export async function listCampaignNumbers(db: Db, orgId: string, campaignId: string, q: { status?: string | undefined; limit: number; offset: number }): Promise<{ rows: CampaignNumberRow[]; total: number }> {
  const { campaignNumbers } = db.t;
  await getCampaign(db, orgId, campaignId);
  const where = and(eq(campaignNumbers.campaignId, campaignId), q.status ? eq(campaignNumbers.status, q.status) : undefined);
  const rows = await db.select().from(campaignNumbers).where(where).orderBy(asc(campaignNumbers.createdAt), asc(campaignNumbers.id)).limit(q.limit).offset(q.offset);
  const [count] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(campaignNumbers).where(where);
  return { rows, total: count?.n ?? 0 };
}
