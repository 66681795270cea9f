/**
 * Human agents (/api/v1/agents): a login (users row, role member) and an extension created together,
 * their phone, enabled state, expiry and caller-ID DID. The agent's state flows into its extension's
 * `enabled`, which goes live at once (apply.ts); login and the directory also refuse through access.ts.
 */
import { and, eq } from 'drizzle-orm';
import { transaction, type Db } from '../../db/handle.ts';
import { isUniqueViolation } from '../../db/order.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { hashPassword, randomPassword } from '../auth/passwords.ts';
import { assertNumberFree, nextFreeNumber } from '../numbers/extension-numbers.ts';
import { normalizeE164 } from '../numbers/phone.ts';
import { agentRefusal } from './access.ts';
import { applyExtensionStates, type ApplyDeps } from './apply.ts';
import { assertPasswordPolicy } from './password-policy.ts';
import { findAgent, type AgentView } from './queries.ts';

export interface AgentDeps extends ApplyDeps {
  defaultCountryCode: string;
}

export interface CreateAgentInput {
  name: string;
  email: string;
  password: string;
  phone?: string | null | undefined;
  extension?: string | undefined;
  expires_at?: string | null | undefined;
  caller_id_did?: string | null | undefined;
}

export interface UpdateAgentInput {
  name?: string | undefined;
  phone?: string | null | undefined;
  enabled?: boolean | undefined;
  expires_at?: string | null | undefined;
  caller_id_did?: string | null | undefined;
}

export type AgentChange = { agent: AgentView; warnings: string[] };

function phoneValue(phone: string | null | undefined, countryCode: string): string | null | undefined {
  if (phone === undefined || phone === null) return phone;
  const e164 = normalizeE164(phone, countryCode);
  if (!e164) throw new ValidationError('Invalid phone number', [{ field: 'phone', message: 'not a valid phone number' }]);
  return e164;
}

/** The DID's id when `value` (id or number in any format) is one of the organization's active numbers; else a 400. */
async function callerIdDid(db: Db, orgId: string, value: string | null | undefined, countryCode: string): Promise<string | null | undefined> {
  if (value === undefined || value === null) return value;
  const { dids } = db.t;
  const pick = { id: dids.id, status: dids.status, orgId: dids.orgId };
  const [byId] = await db.select(pick).from(dids).where(eq(dids.id, value)).limit(1);
  const number = byId ? null : normalizeE164(value, countryCode);
  const row = byId ?? (number ? (await db.select(pick).from(dids).where(eq(dids.number, number)).limit(1))[0] : undefined);
  if (!row || row.orgId !== orgId || row.status !== 'active') {
    throw new ValidationError('caller_id_did is not an active DID of this organization', [{ field: 'caller_id_did', message: 'not an active DID of this organization' }]);
  }
  return row.id;
}

/** Stored as toISOString() (UTC, fixed width) so the sweep's and the token check's text comparisons are time order. */
function instant(value: string | null | undefined): string | null | undefined {
  return typeof value === 'string' ? new Date(value).toISOString() : value;
}

async function emailTaken(db: Db, email: string): Promise<void> {
  const { users } = db.t;
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  // The other user may be in another organization: name the email only, never that user.
  if (row) throw new ConflictError(`A user with email ${email} already exists`, { type: 'user', email });
}

/** Tries of createAgent's transaction when a concurrent creation took the number it picked (PostgreSQL). */
const NUMBER_RACE_TRIES = 3;

/**
 * Creates the login and the extension in one transaction; the extension's SIP password is returned once.
 * The next free number is picked inside that transaction. On SQLite nothing else writes meanwhile; on
 * PostgreSQL (READ COMMITTED) a concurrent creation can take the same number first, which the unique index
 * on (org, number) refuses: the whole transaction is then run again, and picks the next number (a taken
 * email or an explicitly asked number is then answered by the checks of the new run, as a 409).
 */
export async function createAgent(deps: AgentDeps, orgId: string, input: CreateAgentInput): Promise<{ agent: AgentView; sipPassword: string }> {
  const { adb: db } = deps;
  const email = input.email.trim().toLowerCase();
  assertPasswordPolicy(input.password, email);
  const phone = phoneValue(input.phone, deps.defaultCountryCode) ?? null;
  const expiresAt = instant(input.expires_at) ?? null;
  if (expiresAt !== null && Date.parse(expiresAt) <= deps.now().getTime()) {
    throw new ValidationError('expires_at is in the past', [{ field: 'expires_at', message: 'must be in the future (or null)' }]);
  }
  await emailTaken(db, email); // before the slow hash: the common conflict answers at once
  const passwordHash = await hashPassword(input.password);
  const sipPassword = randomPassword(18);
  const insert = () => transaction(db, async (tx) => {
    const { agents, extensions, users } = tx.t;
    await emailTaken(tx, email);
    const didId = (await callerIdDid(tx, orgId, input.caller_id_did, deps.defaultCountryCode)) ?? null;
    const number = input.extension ?? await nextFreeNumber(tx, orgId);
    if (input.extension !== undefined) await assertNumberFree(tx, orgId, number);
    const [user] = await tx.insert(users).values({ orgId, email, name: input.name, passwordHash, role: 'member' }).returning({ id: users.id });
    const [ext] = await tx.insert(extensions).values({ orgId, number, name: input.name, sipPassword, voicemailEnabled: true, enabled: true }).returning({ id: extensions.id });
    const [agent] = await tx.insert(agents).values({ orgId, userId: user!.id, extensionId: ext!.id, phone, expiresAt, callerIdDidId: didId }).returning({ id: agents.id });
    return agent!.id;
  });
  let id: string | undefined;
  for (let tries = 1; id === undefined; tries += 1) {
    try {
      id = await insert();
    } catch (err) {
      if (!isUniqueViolation(err) || tries >= NUMBER_RACE_TRIES) throw err;
    }
  }
  // A new extension is in no published snapshot yet: nothing to apply until the organization publishes.
  return { agent: await findAgent(db, orgId, id), sipPassword };
}

/**
 * The agent's row, read to be changed in the same transaction: on PostgreSQL locked (FOR UPDATE), so two
 * changes of one agent run one after the other as on SQLite (BEGIN IMMEDIATE) instead of deciding from the
 * same stale row. 404 when it is not the organization's.
 */
async function currentAgent(tx: Db, orgId: string, id: string) {
  const { agents } = tx.t;
  const q = tx.select().from(agents).where(and(eq(agents.id, id), eq(agents.orgId, orgId))).limit(1);
  const [row] = tx.driver.dialect === 'postgres' ? await q.for('update') : await q;
  if (!row) throw new NotFoundError('Agent not found');
  return row;
}

/**
 * Changes name, phone, enabled, expiry or caller ID. A past expires_at disables the agent at once
 * (reason `expired`); enabling it while expires_at is past is a 400. Enabled changes go live.
 */
export async function updateAgent(deps: AgentDeps, orgId: string, id: string, input: UpdateAgentInput, actorId: string): Promise<AgentChange> {
  const { adb: db } = deps;
  const now = deps.now();
  const phone = phoneValue(input.phone, deps.defaultCountryCode);
  const stateChanged = await transaction(db, async (tx) => {
    const { agents, extensions, users } = tx.t;
    const current = await currentAgent(tx, orgId, id);
    const didId = await callerIdDid(tx, orgId, input.caller_id_did, deps.defaultCountryCode);
    const expiresAt = input.expires_at === undefined ? current.expiresAt : (instant(input.expires_at) ?? null);
    let enabled = input.enabled ?? current.enabled;
    let reason = input.enabled === undefined ? current.disabledReason : input.enabled ? null : 'admin';
    if (agentRefusal({ enabled: true, expiresAt }, now) === 'expired') {
      if (input.enabled === true) {
        throw new ValidationError('An agent whose expires_at has passed cannot be enabled', [{ field: 'expires_at', message: 'in the past: move it to the future or set null to enable the agent' }]);
      }
      if (enabled) [enabled, reason] = [false, 'expired'];
    }
    await tx.update(agents).set({
      ...(phone !== undefined && { phone }),
      ...(didId !== undefined && { callerIdDidId: didId }),
      expiresAt, enabled, disabledReason: enabled ? null : reason, updatedAt: now.toISOString(),
    }).where(eq(agents.id, id));
    if (input.name !== undefined) await tx.update(users).set({ name: input.name, updatedAt: now.toISOString() }).where(eq(users.id, current.userId));
    await tx.update(extensions).set({
      ...(input.name !== undefined && { name: input.name }), enabled, updatedAt: now.toISOString(),
    }).where(eq(extensions.id, current.extensionId));
    return enabled !== current.enabled;
  });
  const { warnings } = stateChanged ? await applyExtensionStates(deps, orgId, actorId) : { warnings: [] };
  return { agent: await findAgent(db, orgId, id), warnings };
}

/**
 * Deleting an agent removes its login (the users row; its tokens stop working) and the agent, and
 * disables its extension, which stays, owner-less, so IVR options and DID routes naming its number
 * reach nobody instead of a stranger; the extension can be deleted or reused through /extensions.
 */
export async function deleteAgent(deps: AgentDeps, orgId: string, id: string, actorId: string): Promise<{ warnings: string[] }> {
  const wasEnabled = await transaction(deps.adb, async (tx) => {
    const { extensions, users } = tx.t;
    const current = await currentAgent(tx, orgId, id);
    await tx.update(extensions).set({ enabled: false, updatedAt: deps.now().toISOString() }).where(eq(extensions.id, current.extensionId));
    await tx.delete(users).where(eq(users.id, current.userId)); // cascades to the agents row
    return current.enabled;
  });
  return wasEnabled ? applyExtensionStates(deps, orgId, actorId) : { warnings: [] };
}
