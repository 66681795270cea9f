/**
 * Inbound contact lookup: "is the caller a saved contact of the organization that owns the DID?" One raw
 * statement over the contacts' unique (org_id, phone) index: prepared once on SQLite (run in the connection's
 * turn), a named prepared statement on PostgreSQL.
 */
import type { Db } from '../../db/handle.ts';
import type { CallContact } from '../../domain/contacts.ts';

/**
 * What a call asks before routing (CallDeps.contactLookup). It may answer at once or later (a CRM behind it);
 * the call waits a bounded time and goes on without a contact when it fails or is late.
 */
export type ContactLookup = (orgId: string, phone: string) => CallContact | null | Promise<CallContact | null>;

interface Row {
  id: string;
  name: string;
  /** JSON text on SQLite; parsed by node-postgres from jsonb. */
  variables: string | Record<string, string>;
}

const toContact = (row: Row | undefined): CallContact | null =>
  row ? { id: row.id, name: row.name, variables: typeof row.variables === 'string' ? (JSON.parse(row.variables) as Record<string, string>) : row.variables } : null;

export function createContactLookup(db: Db): ContactLookup {
  const { driver } = db;
  if (driver.dialect === 'sqlite') {
    let stmt: { get(...p: unknown[]): unknown } | undefined;
    return (orgId, phone) =>
      driver.gate.withRaw((raw) => toContact((stmt ??= raw.prepare('select id, name, variables from contacts where org_id = ? and phone = ?')).get(orgId, phone) as Row | undefined));
  }
  const text = 'select id, name, variables from contacts where org_id = $1 and phone = $2';
  return async (orgId, phone) => toContact((await driver.pool.query<Row>({ name: 'contact_lookup', text, values: [orgId, phone] })).rows[0]);
}
