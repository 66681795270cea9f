/**
 * Contact lists: named sets of the organization's contacts. A list attached to a campaign gives it its
 * members as numbers (the contact's name and variables with them), when attached and whenever contacts are
 * added to the list later.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { affectedRows, type Db, type Tables } from '../../db/handle.ts';
import { isUniqueViolation } from '../../db/order.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { addListMembers, type AddResult } from './campaign-numbers.ts';
import { getCampaign } from './campaign-service.ts';

export type ContactListRow = Tables['contactLists']['$inferSelect'] & { contacts: number };

export async function listContactLists(db: Db, orgId: string): Promise<ContactListRow[]> {
  const { contactLists, contactListMembers } = db.t;
  return db.select({
    id: contactLists.id, orgId: contactLists.orgId, name: contactLists.name, createdAt: contactLists.createdAt, updatedAt: contactLists.updatedAt,
    contacts: sql<number>`(select count(*) from ${contactListMembers} where ${contactListMembers.listId} = ${contactLists.id})`.mapWith(Number),
  }).from(contactLists).where(eq(contactLists.orgId, orgId)).orderBy(asc(contactLists.name));
}

export async function getContactList(db: Db, orgId: string, id: string): Promise<ContactListRow & { contactIds: string[] }> {
  const { contactListMembers } = db.t;
  const row = (await listContactLists(db, orgId)).find((l) => l.id === id);
  if (!row) throw new NotFoundError('Contact list not found');
  const ids = (await db.select({ id: contactListMembers.contactId }).from(contactListMembers).where(eq(contactListMembers.listId, id))).map((r) => r.id);
  return { ...row, contactIds: ids };
}

export async function createContactList(db: Db, orgId: string, name: string): Promise<ContactListRow> {
  const { contactLists } = db.t;
  const clash = async () => {
    const [c] = await db.select({ id: contactLists.id }).from(contactLists).where(and(eq(contactLists.orgId, orgId), eq(contactLists.name, name))).limit(1);
    if (c) throw new ConflictError(`Contact list "${name}" already exists`, { type: 'contact_list', id: c.id });
  };
  await clash();
  try {
    const [row] = await db.insert(contactLists).values({ orgId, name }).returning();
    return { ...row!, contacts: 0 };
  } catch (err) {
    // Created by another request since the check: the same 409.
    if (isUniqueViolation(err)) await clash();
    throw err;
  }
}

export async function deleteContactList(db: Db, orgId: string, id: string): Promise<void> {
  const { campaigns, contactLists } = db.t;
  await getContactList(db, orgId, id);
  const using = await db.select({ id: campaigns.id, name: campaigns.name }).from(campaigns).where(and(eq(campaigns.orgId, orgId), eq(campaigns.contactListId, id)));
  if (using.length > 0) throw new ConflictError('The list is attached to campaigns', { type: 'contact_list', id, campaigns: using });
  await db.delete(contactLists).where(eq(contactLists.id, id));
}

/** Adds contacts (the org's) to the list; campaigns the list is attached to get them as numbers. */
export async function addToContactList(db: Db, defaultCountryCode: string, orgId: string, id: string, contactIds: readonly string[]): Promise<{ added: number; campaigns: Record<string, AddResult> }> {
  const { campaigns, contactListMembers, contacts } = db.t;
  await getContactList(db, orgId, id);
  const found = contactIds.length
    ? (await db.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.orgId, orgId), inArray(contacts.id, [...contactIds])))).map((r) => r.id)
    : [];
  const unknown = contactIds.filter((c) => !found.includes(c));
  if (unknown.length > 0) throw new ValidationError('Unknown contacts', unknown.slice(0, 20).map((c) => ({ field: 'contact_ids', message: `not a contact of this organization: ${c}` })));
  let added = 0;
  for (const contactId of found) added += affectedRows(await db.insert(contactListMembers).values({ listId: id, contactId }).onConflictDoNothing());
  const attached = await db.select({ id: campaigns.id }).from(campaigns).where(and(eq(campaigns.orgId, orgId), eq(campaigns.contactListId, id)));
  const perCampaign: Record<string, AddResult> = {};
  for (const c of attached) perCampaign[c.id] = await addListMembers(db, defaultCountryCode, orgId, c.id, id);
  return { added, campaigns: perCampaign };
}

export async function removeFromContactList(db: Db, orgId: string, id: string, contactId: string): Promise<void> {
  const { contactListMembers } = db.t;
  await getContactList(db, orgId, id);
  const gone = affectedRows(await db.delete(contactListMembers).where(and(eq(contactListMembers.listId, id), eq(contactListMembers.contactId, contactId))));
  if (gone === 0) throw new NotFoundError('The contact is not on this list');
}

/** Attaches a list to a campaign: its members become the campaign's numbers (duplicates kept once). */
export async function attachContactList(db: Db, defaultCountryCode: string, orgId: string, campaignId: string, listId: string): Promise<AddResult> {
  const { campaigns } = db.t;
  await getCampaign(db, orgId, campaignId);
  await getContactList(db, orgId, listId);
  await db.update(campaigns).set({ contactListId: listId, updatedAt: new Date().toISOString() }).where(eq(campaigns.id, campaignId));
  return addListMembers(db, defaultCountryCode, orgId, campaignId, listId);
}
