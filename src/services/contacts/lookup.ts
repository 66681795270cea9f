/**
 * Inbound contact lookup: "is the caller a saved contact of the organization that owns the DID?" One prepared
 * statement over the contacts' unique (org_id, phone) index.
 */
import { sqliteOf, type Db } from '../../db/client.ts';
import type { CallContact } from '../../domain/contacts.ts';

/**
 * What a call asks before routing (CallDeps.contactLookup). It may answer at once or later (a CRM behind it);
 * the call waits a bounded time and goes on without a contact when it fails or is late.
 */
export type ContactLookup = (orgId: string, phone: string) => CallContact | null | Promise<CallContact | null>;

interface Row {
  id: string;
  name: string;
  variables: string;
}

export function createContactLookup(db: Db): ContactLookup {
  const find = sqliteOf(db).prepare('select id, name, variables from contacts where org_id = ? and phone = ?');
  return (orgId, phone) => {
    const row = find.get(orgId, phone) as Row | undefined;
    if (!row) return null;
    return { id: row.id, name: row.name, variables: JSON.parse(row.variables) as Record<string, string> };
  };
}
