/**
 * Contact lists: named sets of the organization's contacts. A list attached to a campaign gives it its
 * members as numbers (the contact's name and variables with them), when attached and whenever contacts are
 * added to the list later.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { campaigns, contactListMembers, contactLists, contacts } from '../../db/schema/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { addListMembers, type AddResult } from './campaign-numbers.ts';
import { getCampaign } from './campaign-service.ts';

export type ContactListRow = typeof contactLists.$inferSelect & { contacts: number };

export function listContactLists(db: Db, orgId: string): ContactListRow[] {
  return db.select({
    id: contactLists.id, orgId: contactLists.orgId, name: contactLists.name, createdAt: contactLists.createdAt, updatedAt: contactLists.updatedAt,
    contacts: sql<number>`(select count(*) from ${contactListMembers} where ${contactListMembers.listId} = ${contactLists.id})`,
  }).from(contactLists).where(eq(contactLists.orgId, orgId)).orderBy(asc(contactLists.name)).all();
}

export function getContactList(db: Db, orgId: string, id: string): ContactListRow & { contactIds: string[] } {
  const row = listContactLists(db, orgId).find((l) => l.id === id);
  if (!row) throw new NotFoundError('Contact list not found');
  const ids = db.select({ id: contactListMembers.contactId }).from(contactListMembers).where(eq(contactListMembers.listId, id)).all().map((r) => r.id);
  return { ...row, contactIds: ids };
}

export function createContactList(db: Db, orgId: string, name: string): ContactListRow {
  const clash = db.select({ id: contactLists.id }).from(contactLists).where(and(eq(contactLists.orgId, orgId), eq(contactLists.name, name))).get();
  if (clash) throw new ConflictError(`Contact list "${name}" already exists`, { type: 'contact_list', id: clash.id });
  const row = db.insert(contactLists).values({ orgId, name }).returning().get();
  return { ...row, contacts: 0 };
}

export function deleteContactList(db: Db, orgId: string, id: string): void {
  getContactList(db, orgId, id);
  const using = db.select({ id: campaigns.id, name: campaigns.name }).from(campaigns).where(and(eq(campaigns.orgId, orgId), eq(campaigns.contactListId, id))).all();
  if (using.length > 0) throw new ConflictError('The list is attached to campaigns', { type: 'contact_list', id, campaigns: using });
  db.delete(contactLists).where(eq(contactLists.id, id)).run();
}

/** Adds contacts (the org's) to the list; campaigns the list is attached to get them as numbers. */
export function addToContactList(db: Db, defaultCountryCode: string, orgId: string, id: string, contactIds: readonly string[]): { added: number; campaigns: Record<string, AddResult> } {
  getContactList(db, orgId, id);
  const found = contactIds.length
    ? db.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.orgId, orgId), inArray(contacts.id, [...contactIds]))).all().map((r) => r.id)
    : [];
  const unknown = contactIds.filter((c) => !found.includes(c));
  if (unknown.length > 0) throw new ValidationError('Unknown contacts', unknown.slice(0, 20).map((c) => ({ field: 'contact_ids', message: `not a contact of this organization: ${c}` })));
  let added = 0;
  for (const contactId of found) added += db.insert(contactListMembers).values({ listId: id, contactId }).onConflictDoNothing().run().changes;
  const attached = db.select({ id: campaigns.id }).from(campaigns).where(and(eq(campaigns.orgId, orgId), eq(campaigns.contactListId, id))).all();
  const perCampaign: Record<string, AddResult> = {};
  for (const c of attached) perCampaign[c.id] = addListMembers(db, defaultCountryCode, orgId, c.id, id);
  return { added, campaigns: perCampaign };
}

export function removeFromContactList(db: Db, orgId: string, id: string, contactId: string): void {
  getContactList(db, orgId, id);
  const gone = db.delete(contactListMembers).where(and(eq(contactListMembers.listId, id), eq(contactListMembers.contactId, contactId))).run().changes;
  if (gone === 0) throw new NotFoundError('The contact is not on this list');
}

/** Attaches a list to a campaign: its members become the campaign's numbers (duplicates kept once). */
export function attachContactList(db: Db, defaultCountryCode: string, orgId: string, campaignId: string, listId: string): AddResult {
  getCampaign(db, orgId, campaignId);
  getContactList(db, orgId, listId);
  db.update(campaigns).set({ contactListId: listId, updatedAt: new Date().toISOString() }).where(eq(campaigns.id, campaignId)).run();
  return addListMembers(db, defaultCountryCode, orgId, campaignId, listId);
}
