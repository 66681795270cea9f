/** Extensions as GET /extensions shows them: the row, its owner (an agent) and its live registration. */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { ownersByExtension } from '../human-agents/queries.ts';
import type { ExtensionRow } from './extension-service.ts';
import { registrationStates, type RegistrationSource, type RegistrationState } from './registrations.ts';

type Owner = { agent_id: string; user_id: string; name: string; email: string; enabled: boolean };

export interface ExtensionWithState {
  row: ExtensionRow;
  owner: Owner | null;
  registration: RegistrationState;
}

export async function extensionsWithState(db: Db, source: RegistrationSource | undefined, orgId: string, rows: ExtensionRow[]): Promise<ExtensionWithState[]> {
  const { organizations } = db.t;
  const owners: Map<string, Owner> = await ownersByExtension(db, orgId);
  const domain = (await db.select({ d: organizations.sipDomain }).from(organizations).where(eq(organizations.id, orgId)).limit(1))[0]?.d ?? '';
  const stateOf = await registrationStates(source, domain);
  return rows.map((row) => ({ row, owner: owners.get(row.id) ?? null, registration: stateOf(row.number) }));
}
