/** Contacts: the organization's address book (phone numbers in E.164, unique per org) and its call variables. */
import { and, asc, count, eq, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db, Tables } from '../../db/handle.ts';
import { isUniqueViolation } from '../../db/order.ts';
import { BUILT_IN_CALL_VARIABLES, CONTACT_PREFIX } from '../../domain/contacts.ts';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import { normalizeE164 } from '../numbers/phone.ts';
import { phoneField } from '../calls/calls-service.ts';

export type ContactRow = Tables['contacts']['$inferSelect'];

export interface ContactInput {
  name: string;
  phone: string;
  /** For a number typed in local format (0-prefixed): its country code, "+91" or "91"; default DEFAULT_COUNTRY_CODE. */
  country_code?: string | undefined;
  email?: string | null | undefined;
  company?: string | null | undefined;
  variables?: Record<string, string> | undefined;
}

export type ContactPatch = Partial<ContactInput>;

export interface ContactQuery {
  q?: string | undefined;
  limit: number;
  offset: number;
}

const countryCode = (input: { country_code?: string | undefined }, fallback: string) => input.country_code?.replace(/^\+/, '') ?? fallback;

async function findContact(db: Db, orgId: string, id: string): Promise<ContactRow> {
  const { contacts } = db.t;
  const [row] = await db.select().from(contacts).where(and(eq(contacts.orgId, orgId), eq(contacts.id, id))).limit(1);
  if (!row) throw new NotFoundError('Contact not found');
  return row;
}

async function byPhone(db: Db, orgId: string, phone: string): Promise<ContactRow | undefined> {
  const { contacts } = db.t;
  return (await db.select().from(contacts).where(and(eq(contacts.orgId, orgId), eq(contacts.phone, phone))).limit(1))[0];
}

/** A number belongs to one contact per organization: the 409 names the contact that has it. */
async function assertPhoneFree(db: Db, orgId: string, phone: string, exceptId?: string): Promise<void> {
  const clash = await byPhone(db, orgId, phone);
  if (clash && clash.id !== exceptId) {
    throw new ConflictError(`${phone} is already saved as contact "${clash.name}"`, { type: 'contact', id: clash.id, name: clash.name, phone });
  }
}

/** Another writer may insert the same number between our check and our write: the unique index decides, and we say who won. */
async function onUniqueClash<T>(db: Db, orgId: string, phone: string, exceptId: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) await assertPhoneFree(db, orgId, phone, exceptId);
    throw err;
  }
}

export function getContact(db: Db, orgId: string, id: string): Promise<ContactRow> {
  return findContact(db, orgId, id);
}

export async function createContact(db: Db, orgId: string, input: ContactInput, defaultCountryCode: string): Promise<ContactRow> {
  const phone = phoneField(input.phone, 'phone', countryCode(input, defaultCountryCode));
  await assertPhoneFree(db, orgId, phone);
  const values = { orgId, name: input.name, phone, email: input.email ?? null, company: input.company ?? null, variables: input.variables ?? {} };
  return onUniqueClash(db, orgId, phone, undefined, async () => (await db.insert(db.t.contacts).values(values).returning())[0]!);
}

/** Partial update; `variables`, when given, replaces the whole map. */
export async function updateContact(db: Db, orgId: string, id: string, patch: ContactPatch, defaultCountryCode: string): Promise<ContactRow> {
  const { contacts } = db.t;
  const current = await findContact(db, orgId, id);
  const phone = patch.phone === undefined ? current.phone : phoneField(patch.phone, 'phone', countryCode(patch, defaultCountryCode));
  if (phone !== current.phone) await assertPhoneFree(db, orgId, phone, id);
  const set = {
    name: patch.name ?? current.name,
    phone,
    email: patch.email === undefined ? current.email : patch.email,
    company: patch.company === undefined ? current.company : patch.company,
    variables: patch.variables ?? current.variables,
  };
  return onUniqueClash(db, orgId, phone, id, async () =>
    (await db.update(contacts).set(set).where(and(eq(contacts.orgId, orgId), eq(contacts.id, id))).returning())[0] ?? findContact(db, orgId, id),
  );
}

export async function deleteContact(db: Db, orgId: string, id: string): Promise<void> {
  const { contacts } = db.t;
  await findContact(db, orgId, id);
  await db.delete(contacts).where(and(eq(contacts.orgId, orgId), eq(contacts.id, id)));
}

/** `%text%` for LIKE, with the wildcards the user typed matched literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/**
 * What `q` finds: a substring of the name, email or number, and a number the way a caller types it: "09876543210"
 * is +919876543210 (the number normalized exactly), "098765" is any number containing 98765 (a trunk 0 dropped).
 * Case-insensitive on both databases: SQLite's LIKE is (for ASCII), PostgreSQL's ILIKE.
 */
function searchCondition(db: Db, q: string, defaultCountryCode: string): SQL {
  const { contacts } = db.t;
  const op = db.driver.dialect === 'postgres' ? sql.raw('ilike') : sql.raw('like');
  const like = (column: PgColumn, text: string) => sql`${column} ${op} ${containing(text)} escape '\\'`;
  const text = q.trim();
  const conditions: SQL[] = [like(contacts.name, text), like(contacts.email, text), like(contacts.phone, text)];
  const e164 = normalizeE164(text, defaultCountryCode);
  if (e164) conditions.push(eq(contacts.phone, e164));
  if (/^[+\d][\d\s().-]*$/.test(text)) {
    const digits = text.replace(/\D/g, '').replace(/^0+/, '');
    if (digits.length >= 3) conditions.push(like(contacts.phone, digits));
  }
  return or(...conditions)!;
}

/** One page of the org's contacts by name, and how many match in all. */
export async function listContacts(db: Db, orgId: string, query: ContactQuery, defaultCountryCode: string): Promise<{ rows: ContactRow[]; total: number }> {
  const { contacts } = db.t;
  const where = query.q?.trim() ? and(eq(contacts.orgId, orgId), searchCondition(db, query.q, defaultCountryCode)) : eq(contacts.orgId, orgId);
  const rows = await db.select().from(contacts).where(where).orderBy(asc(contacts.name), asc(contacts.id)).limit(query.limit).offset(query.offset);
  const [counted] = await db.select({ n: count() }).from(contacts).where(where);
  return { rows, total: counted?.n ?? 0 };
}

/** The contact saved under a number (any format); a number that cannot be one is a 400, an unknown one a 404. */
export async function lookupContact(db: Db, orgId: string, phone: string, defaultCountryCode: string): Promise<ContactRow> {
  const row = await byPhone(db, orgId, phoneField(phone, 'phone', defaultCountryCode));
  if (!row) throw new NotFoundError('No contact with this number');
  return row;
}

export interface CallVariable {
  key: string;
  source: 'call' | 'contact';
  description: string;
}

/** The distinct keys of the org's contacts' variables, in byte order (SQLite's, and COLLATE "C" on PostgreSQL). */
async function contactVariableKeys(db: Db, orgId: string): Promise<string[]> {
  const { driver } = db;
  if (driver.dialect === 'sqlite') {
    return driver.gate.withRaw((raw) =>
      raw.prepare('select distinct j.key as key from contacts c, json_each(c.variables) j where c.org_id = ? order by j.key').pluck().all(orgId) as string[]);
  }
  const text = 'select distinct k.key collate "C" as key from contacts c, jsonb_object_keys(c.variables) as k(key) where c.org_id = $1 order by 1';
  return (await driver.pool.query<{ key: string }>({ name: 'contact_variable_keys', text, values: [orgId] })).rows.map((r) => r.key);
}

/** The keys templates and flows can use: every call's own, then each variable any contact of the org has, as contact_<key>. */
export async function listCallVariables(db: Db, orgId: string): Promise<CallVariable[]> {
  const keys = await contactVariableKeys(db, orgId);
  const builtIn = new Set<string>(BUILT_IN_CALL_VARIABLES.map((v) => v.key));
  return [
    ...BUILT_IN_CALL_VARIABLES.map((v) => ({ key: v.key, source: 'call' as const, description: v.description })),
    ...keys
      .filter((k) => !builtIn.has(CONTACT_PREFIX + k))
      .map((k) => ({ key: CONTACT_PREFIX + k, source: 'contact' as const, description: `The contact's variable "${k}"` })),
  ];
}
