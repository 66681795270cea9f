/** Extensions as GET /extensions shows them: the row, its owner (an agent) and its live registration. */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import type { ExtensionRow } from './extension-service.ts';
import { registrationStates, type RegistrationSource, type RegistrationState } from './registrations.ts';

type Owner = { agent_id: string; user_id: string; name: string; email: string; enabled: boolean };

export interface ExtensionWithState {
  row: ExtensionRow;
  owner: Owner | null;
  registration: RegistrationState;
}

/**
 * Owners of the organization's extensions (agent id, name, email), by extension id. The async form of
 * ownersByExtension (src/services/human-agents/queries.ts), kept here until human agents are converted
 * (docs/pg/PG-PLAN.md step 2); then this uses theirs.
 */
async function ownersOf(db: Db, orgId: string): Promise<Map<string, Owner>> {
  const { agents, users } = db.t;
  const rows = await db.select({ extensionId: agents.extensionId, agentId: agents.id, userId: users.id, name: users.name, email: users.email, enabled: agents.enabled })
    .from(agents).innerJoin(users, eq(users.id, agents.userId)).where(eq(agents.orgId, orgId));
  return new Map(rows.map((r) => [r.extensionId, { agent_id: r.agentId, user_id: r.userId, name: r.name, email: r.email, enabled: r.enabled }]));
}

export async function extensionsWithState(db: Db, source: RegistrationSource | undefined, orgId: string, rows: ExtensionRow[]): Promise<ExtensionWithState[]> {
  const { organizations } = db.t;
  const owners = await ownersOf(db, orgId);
  const domain = (await db.select({ d: organizations.sipDomain }).from(organizations).where(eq(organizations.id, orgId)).limit(1))[0]?.d ?? '';
  const stateOf = await registrationStates(source, domain);
  return rows.map((row) => ({ row, owner: owners.get(row.id) ?? null, registration: stateOf(row.number) }));
}
