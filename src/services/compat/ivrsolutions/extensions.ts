/**
 * The vendor's extension operations on our agents and extensions: switch an extension on or off (its agent
 * when it has one, else the extension itself, live at once either way), an expiry date (the agent's, at the
 * end of that day), and a "group extension" / DID set-up as one agent with its extension, caller-ID DID and,
 * for a DID set-up, the DID routed to that extension.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { NotFoundError, ValidationError } from '../../../domain/errors.ts';
import { parseScheduleTime } from '../../calls/schedule-time.ts';
import { routeDid } from '../../dids/did-service.ts';
import { findExtensionByNumber, updateExtension, type ExtensionDeps } from '../../extensions/extension-service.ts';
import { createAgent, updateAgent, type AgentDeps } from '../../human-agents/agent-service.ts';
import { applyExtensionStates } from '../../human-agents/apply.ts';
import { findAgentByExtension, type AgentView } from '../../human-agents/queries.ts';
import { normalizeE164 } from '../../numbers/phone.ts';

export type CompatDeps = AgentDeps & Omit<ExtensionDeps, 'db'> & { timeZone: string };
export type Actor = { id: string; kind: 'user' | 'api_key' };

/** Enables or disables what answers on extension `extNo`: its agent (login, registration, calls), else the extension. */
export async function setExtensionEnabled(deps: CompatDeps, orgId: string, extNo: string, enabled: boolean, actor: Actor): Promise<void> {
  const agent = await findAgentByExtension(deps.adb, orgId, extNo);
  if (agent) {
    await updateAgent(deps, orgId, agent.id, { enabled }, actor.id);
    return;
  }
  const ext = await findExtensionByNumber(deps.adb, orgId, extNo);
  await updateExtension({ ...deps, db: deps.adb }, orgId, ext.id, { enabled }, deps.now);
  await applyExtensionStates(deps, orgId, actor.id);
}

/** The agent on extension `extNo`, or a 404 saying the extension has none. */
export async function agentOnExtension(db: Db, orgId: string, extNo: string, field: string): Promise<AgentView> {
  await findExtensionByNumber(db, orgId, extNo);
  const agent = await findAgentByExtension(db, orgId, extNo);
  if (!agent) throw new NotFoundError(`Extension ${extNo} has no agent (user)`, { field });
  return agent;
}

/** The instant an expiry date ends: midnight after `date` (YYYY-MM-DD) in `timeZone`, as ISO. */
export function endOfDay(date: string, timeZone: string, field: string): string {
  const next = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : null;
  if (!next || Number.isNaN(next.getTime())) throw new ValidationError('Invalid date', [{ field, message: 'use YYYY-MM-DD' }]);
  next.setUTCDate(next.getUTCDate() + 1);
  return new Date(parseScheduleTime(`${next.toISOString().slice(0, 10)} 00:00`, timeZone)!).toISOString();
}

export interface AgentSetup {
  name?: string | undefined;
  email?: string | undefined;
  password: string;
  phone?: string | undefined;
  extn_no?: string | undefined;
  expiry_date?: string | undefined;
  did_no?: string | undefined;
}

/**
 * One agent (a login and its extension) from the vendor's set-up fields; with `routeTheDid`, calls to
 * `did_no` then ring that extension (live at once). Name and email are required: they are the agent's login.
 */
export async function setUpAgent(deps: CompatDeps, orgId: string, actor: Actor, s: AgentSetup, routeTheDid: boolean): Promise<{ agent: AgentView; sipPassword: string }> {
  const missing = [['name', s.name], ['email', s.email]].filter(([, v]) => v === undefined).map(([field]) => ({ field: field!, message: 'required: the agent\'s login needs it' }));
  if (routeTheDid && s.did_no === undefined) missing.push({ field: 'did_no', message: 'required: the DID to set up' });
  if (missing.length > 0) throw new ValidationError('Missing fields', missing);
  let didId: string | undefined;
  if (routeTheDid) {
    const number = normalizeE164(s.did_no!, deps.defaultCountryCode);
    const { dids } = deps.adb.t;
    didId = number ? (await deps.adb.select({ id: dids.id }).from(dids).where(and(eq(dids.orgId, orgId), eq(dids.number, number))).limit(1))[0]?.id : undefined;
    if (!didId) throw new ValidationError('Unknown DID', [{ field: 'did_no', message: 'not a DID of this organization' }]);
  }
  const created = await createAgent(deps, orgId, {
    name: s.name!, email: s.email!, password: s.password, phone: s.phone ?? null, ...(s.extn_no !== undefined && { extension: s.extn_no }),
    expires_at: s.expiry_date === undefined ? null : endOfDay(s.expiry_date, deps.timeZone, 'expiry_date'), caller_id_did: s.did_no ?? null,
  });
  if (didId) await routeDid(deps.adb, orgId, didId, { routing_type: 'extension', routing_destination: created.agent.extension.number }, actor, deps.now());
  return created;
}
