import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import {
  ACTION_TYPES, DID_ROUTING_TYPES, DIRECT_DIAL_POLICIES, FINAL_DESTINATION_TYPES, checkDestination,
  type ActionType, type DestinationTargets, type DidRoutingType, type FinalDestinationType,
} from '../domain/destinations.ts';
import { AGENT_DIALECTS, AUDIO_FORMATS, type AgentDialect, type AudioFormat } from '../domain/agents.ts';
import type { aiAgents, businessHours, dids, extensions, ivrMenuOptions, ivrs, organizations, queues } from '../db/schema/index.ts';
import type { StoredDestination } from '../db/schema/index.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { Db as AsyncDb } from '../db/handle.ts';
import { compileSchedules } from './compile-schedules.ts';
import type {
  DraftSnapshot, SnapshotAgent, SnapshotDestination, SnapshotDid, SnapshotExtension, SnapshotIvr, SnapshotMenuOption, SnapshotQueue,
} from './snapshot.ts';

/** One finding about the draft configuration; `path` says where (e.g. `ivrs.<id>.options.3`). */
export interface Problem {
  code: string;
  message: string;
  path: string;
  /** The destination the finding is about, when it is about one. */
  ref?: { type: string; value: string | null };
}

export interface CompileResult {
  snapshot: DraftSnapshot;
  /** Anything here blocks publishing. */
  problems: Problem[];
  /** Publishable, but worth telling the admin. */
  warnings: Problem[];
}

const DIGIT_RE = /^[0-9*#]$/;
const SOUND_FILE_RE = /^\S+\.(wav|mp3|ogg|flac|gsm|ulaw|alaw|sln|raw)$/i;

/** The org's draft configuration as stored: what compile reads (nine queries). */
export interface DraftRows {
  org: typeof organizations.$inferSelect;
  ivrRows: Array<typeof ivrs.$inferSelect>;
  optionRows: Array<typeof ivrMenuOptions.$inferSelect>;
  extRows: Array<typeof extensions.$inferSelect>;
  queueRows: Array<typeof queues.$inferSelect>;
  tierRows: Array<{ queueId: string; extensionId: string; level: number; position: number }>;
  agentRows: Array<typeof aiAgents.$inferSelect>;
  didRows: Array<typeof dids.$inferSelect>;
  scheduleRows: Array<typeof businessHours.$inferSelect>;
}

/**
 * Loads the org's whole draft configuration (nine queries, one after another: inside a transaction they share
 * one PostgreSQL connection) and compiles + validates it in memory (compile keys everything by id or number,
 * and sorts what it lists).
 */
export async function compile(db: AsyncDb, orgId: string, opts: { soundsDir: string }): Promise<CompileResult> {
  const t = db.t;
  const [org] = await db.select().from(t.organizations).where(eq(t.organizations.id, orgId)).limit(1);
  if (!org) throw new NotFoundError('Organization not found');
  const ivrRows = await db.select().from(t.ivrs).where(eq(t.ivrs.orgId, orgId));
  const optionRows = await db.select().from(t.ivrMenuOptions).where(eq(t.ivrMenuOptions.orgId, orgId));
  const extRows = await db.select().from(t.extensions).where(eq(t.extensions.orgId, orgId));
  const queueRows = await db.select().from(t.queues).where(eq(t.queues.orgId, orgId));
  const tierRows = await db
    .select({ queueId: t.queueAgents.queueId, extensionId: t.queueAgents.extensionId, level: t.queueAgents.level, position: t.queueAgents.position })
    .from(t.queueAgents).innerJoin(t.queues, eq(t.queues.id, t.queueAgents.queueId)).where(eq(t.queues.orgId, orgId));
  const agentRows = await db.select().from(t.aiAgents).where(eq(t.aiAgents.orgId, orgId));
  const didRows = await db.select().from(t.dids).where(eq(t.dids.orgId, orgId));
  const scheduleRows = await db.select().from(t.businessHours).where(eq(t.businessHours.orgId, orgId));
  return compileRows({ org, ivrRows, optionRows, extRows, queueRows, tierRows, agentRows, didRows, scheduleRows }, opts);
}

/** Compiles + validates loaded draft rows (pure: no database). */
export function compileRows(rows: DraftRows, opts: { soundsDir: string }): CompileResult {
  const { org, ivrRows, optionRows, extRows, queueRows, tierRows, agentRows, didRows, scheduleRows } = rows;

  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  // The destination rules over the rows just loaded: a whole configuration costs no query per reference.
  const extensionsByNumber = new Map(extRows.map((e) => [e.number, { enabled: e.enabled, voicemailEnabled: e.voicemailEnabled }]));
  const queueNumbers = new Set(queueRows.map((q) => q.number));
  const ivrIds = new Set(ivrRows.map((i) => i.id));
  const agentIds = new Set(agentRows.map((a) => a.id));
  const scheduleIds = new Set(scheduleRows.map((b) => b.id));
  const targets: DestinationTargets = {
    extension: (number) => extensionsByNumber.get(number) ?? null,
    hasQueue: (number) => queueNumbers.has(number),
    hasIvr: (id) => ivrIds.has(id),
    hasAgent: (id) => agentIds.has(id),
    hasSchedule: (id) => scheduleIds.has(id),
  };

  /** Checks one reference; records a problem or warning prefixed with `label`. Returns true when usable. */
  const ref = (label: string, path: string, allowed: readonly string[], type: string, value: string | null): boolean => {
    const r = checkDestination(targets, type, value, allowed);
    const at = { path, ref: { type, value } };
    if (r.problem) problems.push({ code: r.problem.code, message: `${label}: ${r.problem.message}`, ...at });
    if (r.warning) warnings.push({ code: r.warning.code, message: `${label}: ${r.warning.message}`, ...at });
    return r.problem === null;
  };
  const destination = <T extends string>(label: string, path: string, allowed: readonly T[], d: StoredDestination | null) => {
    if (!d) return null;
    ref(label, path, allowed, d.type, d.value);
    return { type: d.type as T, value: d.value ?? null } satisfies SnapshotDestination<T>;
  };
  const prompt = (label: string, path: string, value: string | null): string | null => {
    if (value === null || value.trim() === '') return null;
    const v = value.trim();
    if (isAbsolute(v)) return v;
    if (SOUND_FILE_RE.test(v)) {
      const local = join(opts.soundsDir, v);
      return existsSync(local) ? resolve(local) : v; // else relative to FreeSWITCH's sound prefix
    }
    warnings.push({ code: 'prompt_not_sound_file', message: `${label} is text, not a sound file: the built-in prompt plays`, path });
    return null;
  };

  const optionsByIvr = new Map<string, typeof optionRows>();
  for (const o of optionRows) optionsByIvr.set(o.ivrId, [...(optionsByIvr.get(o.ivrId) ?? []), o]);

  const ivrOut: Record<string, SnapshotIvr> = {};
  for (const i of ivrRows) {
    const base = `ivrs.${i.id}`;
    const name = `IVR "${i.name}"`;
    const options: Record<string, SnapshotMenuOption> = {};
    for (const o of optionsByIvr.get(i.id) ?? []) {
      const path = `${base}.options.${o.digit}`;
      if (!DIGIT_RE.test(o.digit)) {
        problems.push({ code: 'invalid_digit', message: `${name}: option digit "${o.digit}" must be 0-9, * or #`, path });
        continue;
      }
      ref(`${name}, option ${o.digit}`, path, ACTION_TYPES, o.actionType, o.destination);
      options[o.digit] = { digit: o.digit, type: o.actionType as ActionType, value: o.destination ?? null, description: o.description ?? null };
    }
    const policy = directDialPolicy(i.enableDirectDial, i.directDialPolicy);
    if (Object.keys(options).length === 0 && policy === 'disabled') {
      problems.push({ code: 'ivr_empty', message: `${name} has no menu options and direct dial is disabled: callers can do nothing`, path: `${base}.options` });
    }
    for (const n of policy === 'allow_list' || policy === 'deny_list' ? i.directDialList : []) {
      if (!extensionsByNumber.has(n)) {
        warnings.push({ code: 'direct_dial_unknown', message: `${name}: direct-dial list entry ${n} is not an extension`, path: `${base}.direct_dial_list` });
      }
    }
    const greetingPath = resolve(opts.soundsDir, `greeting_ivr_${i.id}.wav`);
    const greetingFile = existsSync(greetingPath) ? greetingPath : null;
    if (!greetingFile) {
      warnings.push({ code: 'no_greeting', message: `${name} has no generated greeting: a tone plays instead`, path: `${base}.greeting` });
    }
    ivrOut[i.id] = {
      id: i.id, name: i.name, extension: i.extension, greetingFile, greetingText: i.greetingText ?? null,
      timeoutS: i.timeout, interDigitTimeoutS: i.interDigitTimeout, maxRetries: i.maxRetries,
      maxTimeouts: i.timeoutRetries ?? i.maxRetries, maxInvalids: i.invalidRetries ?? i.maxRetries,
      directDial: { policy, list: [...i.directDialList] },
      timeoutPrompt: prompt(`${name}: timeout prompt`, `${base}.timeout_prompt`, i.timeoutPrompt),
      invalidPrompt: prompt(`${name}: invalid prompt`, `${base}.invalid_prompt`, i.invalidPrompt),
      timeoutDestination: destination<FinalDestinationType>(`${name}, timeout destination`, `${base}.timeout_destination`, FINAL_DESTINATION_TYPES, i.timeoutDestination ?? null),
      invalidDestination: destination<FinalDestinationType>(`${name}, invalid destination`, `${base}.invalid_destination`, FINAL_DESTINATION_TYPES, i.invalidDestination ?? null),
      options,
    };
  }

  const extOut: Record<string, SnapshotExtension> = {};
  const extById = new Map(extRows.map((e) => [e.id, e]));
  for (const e of extRows) extOut[e.number] = { number: e.number, name: e.name, enabled: e.enabled, voicemailEnabled: e.voicemailEnabled };

  const queueOut: Record<string, SnapshotQueue> = {};
  for (const q of queueRows) {
    const path = `queues.${q.number}.agents`;
    const tiers = tierRows.filter((t) => t.queueId === q.id);
    const agents: NonNullable<SnapshotQueue['agents']> = [];
    for (const t of tiers) {
      const ext = extById.get(t.extensionId);
      if (!ext) {
        problems.push({ code: 'dangling_reference', message: `Queue ${q.number}: agent extension ${t.extensionId} does not exist`, path });
        continue;
      }
      if (!ext.enabled) warnings.push({ code: 'extension_disabled', message: `Queue ${q.number}: agent extension ${ext.number} is disabled`, path, ref: { type: 'extension', value: ext.number } });
      agents.push({ extension: ext.number, level: t.level, position: t.position });
    }
    agents.sort((a, b) => a.level - b.level || a.position - b.position || a.extension.localeCompare(b.extension));
    if (tiers.length === 0) warnings.push({ code: 'queue_no_agents', message: `Queue ${q.number} ("${q.name}") has no agents: callers wait until they time out`, path });
    queueOut[q.number] = {
      id: q.id, number: q.number, name: q.name, fsName: `${q.number}@${org.sipDomain}`, maxWaitTime: q.maxWaitTime,
      strategy: q.strategy, mohSound: q.mohSound, tierRulesApply: q.tierRulesApply, discardAbandonedAfter: q.discardAbandonedAfter, agents,
      timeoutDestination: destination<FinalDestinationType>(`Queue ${q.number}, timeout destination`, `queues.${q.number}.timeout_destination`, FINAL_DESTINATION_TYPES, q.timeoutDestination ?? null),
    };
  }

  const agentOut: Record<string, SnapshotAgent> = {};
  for (const a of agentRows) {
    const base = `agents.${a.id}`;
    const label = `AI agent "${a.name}"`;
    if (!isOneOf(AGENT_DIALECTS, a.dialect)) problems.push({ code: 'invalid_value', message: `${label}: unknown dialect "${a.dialect}"`, path: `${base}.dialect` });
    if (!isOneOf(AUDIO_FORMATS, a.audioFormat)) problems.push({ code: 'invalid_value', message: `${label}: unknown audio format "${a.audioFormat}"`, path: `${base}.audio_format` });
    agentOut[a.id] = {
      id: a.id, name: a.name, wsUrl: a.wsUrl, headers: { ...a.headers },
      dialect: a.dialect as AgentDialect, audioFormat: a.audioFormat as AudioFormat,
      systemPrompt: a.systemPrompt ?? null, language: a.language, openingText: a.openingText ?? null, connectTimeoutMs: a.connectTimeoutMs,
      fallback: destination<FinalDestinationType>(`${label}, fallback`, `${base}.fallback`, FINAL_DESTINATION_TYPES, a.fallbackDestination ?? null),
    };
  }

  const didOut: Record<string, SnapshotDid> = {};
  for (const d of didRows) {
    const path = `dids.${d.number}`;
    if (d.status !== 'active') {
      warnings.push({ code: 'did_inactive', message: `DID ${d.number} is inactive: calls to it are not routed`, path });
      continue;
    }
    if (!d.routingType) {
      warnings.push({ code: 'did_unrouted', message: `DID ${d.number} has no routing: calls to it are rejected`, path });
      continue;
    }
    ref(`DID ${d.number}`, path, DID_ROUTING_TYPES, d.routingType, d.routingDestination);
    didOut[d.number] = { number: d.number, didId: d.id, routingType: d.routingType as DidRoutingType, destination: d.routingDestination ?? null };
  }

  const scheduleOut = compileSchedules(scheduleRows, destination, problems);

  return {
    snapshot: {
      schema: 1, orgId: org.id, orgName: org.name, sipDomain: org.sipDomain,
      ivrs: ivrOut, extensions: extOut, queues: queueOut, agents: agentOut, dids: didOut,
      ...(scheduleRows.length > 0 && { schedules: scheduleOut }),
    },
    problems,
    warnings,
  };
}

function directDialPolicy(enabled: boolean, policy: string): SnapshotIvr['directDial']['policy'] {
  if (!enabled) return 'disabled';
  const p = isOneOf(DIRECT_DIAL_POLICIES, policy) ? policy : 'all';
  return p === 'disabled' ? 'all' : p;
}

function isOneOf<T extends string>(list: readonly T[], v: string): v is T {
  return (list as readonly string[]).includes(v);
}
