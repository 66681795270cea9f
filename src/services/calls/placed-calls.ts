/**
 * Outbound calls our controller runs once the customer answers: a published call flow (an IVR's menu),
 * a text template spoken to them (optionally followed by a flow's menu), or an AI agent. Each is one
 * outbound_calls row (dialled now or at `schedule_datetime`) going through the same originate, call log,
 * recording and webhook machinery as click-to-call (src/switch/call-control.ts).
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import type { BotTarget } from '../../domain/agents.ts';
import { ValidationError } from '../../domain/errors.ts';
import { latestSnapshot } from '../../publish/store.ts';
import type { ConfigSnapshot } from '../../publish/snapshot.ts';
import { callControl, didField, extensionField, phoneField, scheduleField, type PlaceDeps } from './calls-service.ts';
import type { PlacedSpec } from './placed-spec.ts';
import { findTemplate } from '../tts-templates/template-service.ts';
import { fillTemplate, parseTemplate } from '../tts-templates/placeholders.ts';

export interface CallFlow {
  id: string;
  name: string;
  description: string | null;
  extension: string;
}

/** The organization's call flows: the IVRs of its latest published configuration. */
export async function listCallFlows(db: Db, orgId: string): Promise<CallFlow[]> {
  const { ivrs } = db.t;
  const snap = (await latestSnapshot(db, orgId))?.snapshot;
  if (!snap) return [];
  const descriptions = new Map(
    (await db.select({ id: ivrs.id, description: ivrs.description }).from(ivrs).where(eq(ivrs.orgId, orgId))).map((r) => [r.id, r.description]),
  );
  return Object.values(snap.ivrs)
    .map((i) => ({ id: i.id, name: i.name, description: descriptions.get(i.id) ?? null, extension: i.extension }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

interface Scheduled {
  did: string;
  customer_number: string;
  schedule_datetime?: string | undefined;
  timezone?: string | undefined;
}

export interface FlowCallInput extends Scheduled {
  flow_id: string;
}

export interface TtsCallInput extends Scheduled {
  /** The template's id or name. */
  template: string;
  /** Named values, positional ones, or the vendor's comma-separated positional string. */
  variables?: Record<string, string> | string[] | string | undefined;
  flow_id?: string | null | undefined;
}

export interface BotCallInput extends Scheduled {
  agent_id?: string | null | undefined;
  wss_url?: string | null | undefined;
  headers?: Record<string, string> | undefined;
  system_msg?: string | null | undefined;
  text?: string | null | undefined;
  language?: string | null | undefined;
  /** `answer` (default): the bot's WebSocket opens once the customer answers; `immediate`: as the call is dialled. */
  connect?: 'answer' | 'immediate' | undefined;
  agent_extension?: string | null | undefined;
  /** Extra custom parameters for the bot's `start`. */
  parameters?: Record<string, string> | undefined;
}

export interface PlacedResult {
  id: string;
  scheduledAt: number | null;
}

export async function placeFlowCall(deps: PlaceDeps, orgId: string, b: FlowCallInput): Promise<PlacedResult> {
  const base = await common(deps, orgId, b);
  const spec: PlacedSpec = { kind: 'flow', ivrId: await publishedFlow(deps.db, orgId, b.flow_id, 'flow_id') };
  return place(deps, orgId, base, spec);
}

export async function placeTtsCall(deps: PlaceDeps, orgId: string, b: TtsCallInput): Promise<PlacedResult> {
  const base = await common(deps, orgId, b);
  const variables = templateVariables(b.variables);
  // Checked now (an unknown template is a 404, a missing value a 400 naming it); rendered when dialled.
  const template = await findTemplate(deps.db, orgId, b.template);
  fillTemplate(parseTemplate(template.text), variables);
  const templateId = template.id;
  const ivrId = b.flow_id ? await publishedFlow(deps.db, orgId, b.flow_id, 'flow_id') : null;
  return place(deps, orgId, base, { kind: 'tts', templateId, variables, audio: null, ivrId });
}

export async function placeBotCall(deps: PlaceDeps, orgId: string, b: BotCallInput): Promise<PlacedResult> {
  const { aiAgents } = deps.db.t;
  const base = await common(deps, orgId, b);
  if (!b.agent_id === !b.wss_url) {
    throw new ValidationError('Give either agent_id or wss_url', [{ field: b.agent_id ? 'wss_url' : 'agent_id', message: 'exactly one of agent_id and wss_url' }]);
  }
  let target: BotTarget | null = null;
  if (b.agent_id) {
    const [agent] = await deps.db.select({ id: aiAgents.id }).from(aiAgents).where(and(eq(aiAgents.id, b.agent_id), eq(aiAgents.orgId, orgId))).limit(1);
    if (!agent) throw new ValidationError('No such AI agent', [{ field: 'agent_id', message: 'not an AI agent of this organization' }]);
    if (!publishedAgent((await latestSnapshot(deps.db, orgId))?.snapshot ?? null, b.agent_id)) {
      throw new ValidationError('The AI agent is not published yet', [{ field: 'agent_id', message: 'publish the organization first' }]);
    }
  } else {
    target = {
      id: null, name: b.wss_url!, wsUrl: b.wss_url!, headers: b.headers ?? {}, dialect: 'native', audioFormat: 'l16_16k',
      systemPrompt: b.system_msg ?? null, language: b.language ?? 'en-IN', openingText: b.text ?? null, connectTimeoutMs: 3000,
    };
  }
  const agentExtension = b.agent_extension ? await extensionField(deps.db, orgId, b.agent_extension, 'agent_extension') : null;
  // What the request says about the conversation reaches the bot's `start`, also for a published agent.
  const parameters: Record<string, string> = { ...b.parameters, connect: b.connect ?? 'answer' };
  if (b.system_msg) parameters.system_msg = b.system_msg;
  if (b.text) parameters.text = b.text;
  if (b.language) parameters.language = b.language;
  return place(deps, orgId, base, { kind: 'bot', agentId: b.agent_id ?? null, target, agentExtension, parameters });
}

async function common(deps: PlaceDeps, orgId: string, b: Scheduled) {
  const cc = deps.config.DEFAULT_COUNTRY_CODE;
  const did = await didField(deps.db, orgId, b.did, cc);
  return {
    did,
    customer: phoneField(b.customer_number, 'customer_number', cc),
    scheduledAt: scheduleField(b, deps.now()),
    timezone: b.timezone ?? null,
  };
}

async function place(deps: PlaceDeps, orgId: string, base: Awaited<ReturnType<typeof common>>, spec: PlacedSpec): Promise<PlacedResult> {
  const row = await callControl(deps.calls).create({
    orgId, kind: spec.kind, did: base.did, first: base.customer, second: null, spec, scheduledAt: base.scheduledAt, timezone: base.timezone,
  });
  return { id: row.id, scheduledAt: base.scheduledAt };
}

/**
 * Why `id` cannot be a call flow, or null when it can: a flow is an IVR of the latest published
 * configuration (a draft-only IVR is not one yet). Placed calls and campaigns ask the same question.
 */
export async function flowProblem(db: Db, orgId: string, id: string): Promise<string | null> {
  const { ivrs } = db.t;
  if ((await latestSnapshot(db, orgId))?.snapshot.ivrs[id]) return null;
  const [exists] = await db.select({ id: ivrs.id }).from(ivrs).where(and(eq(ivrs.id, id), eq(ivrs.orgId, orgId))).limit(1);
  return exists ? 'the call flow is not published yet: publish the organization first' : 'not a call flow of this organization';
}

/** `id` when it is a call flow, else a 400 naming the field. */
async function publishedFlow(db: Db, orgId: string, id: string, field: string): Promise<string> {
  const problem = await flowProblem(db, orgId, id);
  if (problem) throw new ValidationError(`Invalid ${field}`, [{ field, message: problem }]);
  return id;
}

function publishedAgent(snap: ConfigSnapshot | null, id: string): boolean {
  return Boolean(snap?.agents[id]);
}

/** The vendor's `Variable: "John,ORD12345,1500"` is positional; an object is named; an array positional. */
export function templateVariables(v: TtsCallInput['variables']): Record<string, string> | string[] {
  if (v === undefined) return {};
  if (typeof v === 'string') return v === '' ? [] : v.split(',').map((x) => x.trim());
  return v;
}
