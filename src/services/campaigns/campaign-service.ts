/**
 * Dialer campaigns: what they play (a text template, optionally followed by a flow's menu, or a flow), from
 * which DID, how many calls at once, when (a calling window in a timezone), and how unanswered calls are
 * retried. The dialer (src/switch/dialer.ts) reads these rows; a status change takes effect at its next
 * pass (the API kicks it at once; other instances within a tick).
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, Tables } from '../../db/handle.ts';
import type { StoredCampaignPlay, StoredRetryPolicy } from '../../db/schema/index.ts';
import { parseTime, isTimeZone, WEEKDAYS } from '../../domain/business-hours.ts';
import { windowState } from '../../domain/calling-window.ts';
import { isUniqueViolation } from '../../db/order.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../../domain/errors.ts';
import { didField } from '../calls/calls-service.ts';
import { flowProblem } from '../calls/placed-calls.ts';
import { findTemplate } from '../tts-templates/template-service.ts';
import { callsInProgress } from './dialer-store.ts';

export type CampaignRow = Tables['campaigns']['$inferSelect'];
export const CAMPAIGN_STATUSES = ['on', 'paused', 'off'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export interface RetryInput {
  attempts: number;
  spacing_minutes: number;
}

export interface CampaignInput {
  name: string;
  did: string;
  /** A text template (id or name); or give flow_id alone. */
  template?: string | null | undefined;
  /** The flow whose menu runs (after the template, when there is one). */
  flow_id?: string | null | undefined;
  no_of_call: number;
  start_time: string;
  end_time: string;
  /** 0–6 (0 = Sunday) or sun…sat. */
  days: ReadonlyArray<number | string>;
  timezone?: string | undefined;
  retry?: Partial<Record<keyof StoredRetryPolicy, RetryInput>> | undefined;
  contact_list_id?: string | null | undefined;
  status?: CampaignStatus | undefined;
}

export type CampaignPatch = Partial<CampaignInput>;

export interface CampaignDeps {
  db: Db;
  config: { DEFAULT_COUNTRY_CODE: string; DEFAULT_TIMEZONE: string };
  now: () => Date;
}

const DEFAULT_RETRY: RetryInput = { attempts: 1, spacing_minutes: 30 };

export async function getCampaign(db: Db, orgId: string, id: string): Promise<CampaignRow> {
  const { campaigns } = db.t;
  const [row] = await db.select().from(campaigns).where(and(eq(campaigns.id, id), eq(campaigns.orgId, orgId))).limit(1);
  if (!row) throw new NotFoundError('Campaign not found');
  return row;
}

export async function listCampaigns(db: Db, orgId: string): Promise<CampaignRow[]> {
  const { campaigns } = db.t;
  return db.select().from(campaigns).where(eq(campaigns.orgId, orgId)).orderBy(asc(campaigns.createdAt), asc(campaigns.name));
}

export async function createCampaign(d: CampaignDeps, orgId: string, input: CampaignInput): Promise<CampaignRow> {
  const { campaigns } = d.db.t;
  const values = await resolve(d, orgId, input, null);
  await assertNameFree(d.db, orgId, values.name);
  try {
    const [row] = await d.db.insert(campaigns).values({ orgId, ...values, status: input.status ?? 'paused' }).returning();
    return row!;
  } catch (err) {
    // Created by another request since the check (the unique index on org and name): the same 409.
    if (isUniqueViolation(err)) await assertNameFree(d.db, orgId, values.name);
    throw err;
  }
}

export async function updateCampaign(d: CampaignDeps, orgId: string, id: string, patch: CampaignPatch): Promise<CampaignRow> {
  const { campaigns } = d.db.t;
  const current = await getCampaign(d.db, orgId, id);
  const values = await resolve(d, orgId, patch, current);
  if (values.name !== current.name) await assertNameFree(d.db, orgId, values.name, id);
  const [row] = await d.db.update(campaigns).set({ ...values, ...(patch.status ? { status: patch.status } : {}), updatedAt: d.now().toISOString() })
    .where(eq(campaigns.id, id)).returning();
  return row!;
}

export async function setCampaignStatus(d: CampaignDeps, orgId: string, id: string, status: CampaignStatus): Promise<CampaignRow> {
  const { campaigns } = d.db.t;
  await getCampaign(d.db, orgId, id);
  const [row] = await d.db.update(campaigns).set({ status, updatedAt: d.now().toISOString() }).where(eq(campaigns.id, id)).returning();
  return row!;
}

export async function deleteCampaign(db: Db, orgId: string, id: string): Promise<void> {
  const { campaigns } = db.t;
  const row = await getCampaign(db, orgId, id);
  if (row.status === 'on') throw new ConflictError('Switch the campaign off before deleting it', { type: 'campaign', id, status: row.status });
  await db.delete(campaigns).where(eq(campaigns.id, id));
}

export interface CampaignTotals {
  numbers: number;
  pending: number;
  dialing: number;
  completed: number;
  answered: number;
  failed: number;
  dnc: number;
}

/** Counts per campaign, by number status (answered: completed numbers whose call was answered). */
export async function campaignTotals(db: Db, orgId: string): Promise<Map<string, CampaignTotals>> {
  const { campaignNumbers: n } = db.t;
  const rows = await db.select({ campaign_id: n.campaignId, status: n.status, answered: n.answered, n: sql<number>`count(*)`.mapWith(Number) })
    .from(n).where(eq(n.orgId, orgId)).groupBy(n.campaignId, n.status, n.answered);
  const totals = new Map<string, CampaignTotals>();
  for (const r of rows) {
    const t = totals.get(r.campaign_id) ?? { numbers: 0, pending: 0, dialing: 0, completed: 0, answered: 0, failed: 0, dnc: 0 };
    t.numbers += r.n;
    if (r.status === 'pending' || r.status === 'dialing' || r.status === 'completed' || r.status === 'failed' || r.status === 'dnc') t[r.status] += r.n;
    if (r.answered) t.answered += r.n;
    totals.set(r.campaign_id, t);
  }
  return totals;
}

/** Whether the campaign may dial now, and when that changes. */
export function campaignWindow(row: CampaignRow, at: Date) {
  return windowState({ start: row.windowStart, end: row.windowEnd, days: row.days, timezone: row.timezone }, at);
}

async function assertNameFree(db: Db, orgId: string, name: string, exceptId?: string): Promise<void> {
  const { campaigns } = db.t;
  const [clash] = await db.select({ id: campaigns.id }).from(campaigns).where(and(eq(campaigns.orgId, orgId), eq(campaigns.name, name))).limit(1);
  if (clash && clash.id !== exceptId) throw new ConflictError(`Campaign "${name}" already exists`, { type: 'campaign', id: clash.id });
}

/** The row's values from an input (a patch keeps what it does not name); every problem is one 400. */
async function resolve(d: CampaignDeps, orgId: string, input: CampaignPatch, current: CampaignRow | null) {
  const { contactLists } = d.db.t;
  const issues: FieldIssue[] = [];
  const problem = (field: string, message: string) => void issues.push({ field, message });
  const name = (input.name ?? current?.name ?? '').trim();
  if (!name) problem('name', 'required');
  const did = input.did !== undefined ? await tryField(() => didField(d.db, orgId, input.did!, d.config.DEFAULT_COUNTRY_CODE), issues) : current?.did;
  const play = await resolvePlay(d.db, orgId, input, current, problem);
  const start = input.start_time ?? current?.windowStart ?? '09:00';
  const end = input.end_time ?? current?.windowEnd ?? '18:00';
  if (parseTime(start) === null || start === '24:00') problem('start_time', 'use HH:mm (00:00–23:59)');
  if (parseTime(end) === null) problem('end_time', 'use HH:mm (00:00–24:00)');
  if (parseTime(start) !== null && start === end) problem('end_time', 'the window is empty: end_time equals start_time');
  const days = input.days !== undefined ? resolveDays(input.days, problem) : (current?.days ?? [1, 2, 3, 4, 5]);
  const timezone = input.timezone ?? current?.timezone ?? d.config.DEFAULT_TIMEZONE;
  if (!isTimeZone(timezone)) problem('timezone', 'not an IANA time zone (e.g. Asia/Kolkata)');
  const concurrency = input.no_of_call ?? current?.concurrency ?? 1;
  const retry = resolveRetry(input.retry, current?.retry ?? null);
  const contactListId = input.contact_list_id !== undefined ? input.contact_list_id : (current?.contactListId ?? null);
  if (contactListId && (await d.db.select({ id: contactLists.id }).from(contactLists).where(and(eq(contactLists.id, contactListId), eq(contactLists.orgId, orgId))).limit(1)).length === 0) {
    problem('contact_list_id', 'not a contact list of this organization');
  }
  if (issues.length > 0 || !did || !play) throw new ValidationError('Invalid campaign', issues);
  return { name, did, play, concurrency, windowStart: start, windowEnd: end, days, timezone, retry, contactListId };
}

async function tryField<T>(fn: () => Promise<T>, issues: FieldIssue[]): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ValidationError) issues.push(...((err.details as { fields?: FieldIssue[] } | undefined)?.fields ?? []));
    else throw err;
    return undefined;
  }
}

async function resolvePlay(db: Db, orgId: string, input: CampaignPatch, current: CampaignRow | null, problem: (f: string, m: string) => void): Promise<StoredCampaignPlay | undefined> {
  const touched = input.template !== undefined || input.flow_id !== undefined;
  if (!touched && current) return current.play;
  const prev = current?.play;
  const template = input.template !== undefined ? input.template : prev?.kind === 'tts' ? prev.templateId : null;
  const flow = input.flow_id !== undefined ? input.flow_id : (prev?.ivrId ?? null);
  let ivrId: string | null = null;
  if (flow) {
    const why = await flowProblem(db, orgId, flow);
    if (why) problem('flow_id', why);
    else ivrId = flow;
  }
  if (template) {
    try {
      return { kind: 'tts', templateId: (await findTemplate(db, orgId, template)).id, ivrId };
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      problem('template', 'not a text template of this organization');
      return undefined;
    }
  }
  if (ivrId) return { kind: 'flow', ivrId };
  if (!flow) problem('template', 'give a text template, a flow_id, or both');
  return undefined;
}

function resolveDays(days: ReadonlyArray<number | string>, problem: (f: string, m: string) => void): number[] {
  const out = new Set<number>();
  for (const d of days) {
    const n = typeof d === 'number' ? d : WEEKDAYS.indexOf(d.toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number]);
    if (!Number.isInteger(n) || n < 0 || n > 6) problem('days', `not a day of the week: ${String(d)} (0–6, 0 = Sunday, or sun…sat)`);
    else out.add(n);
  }
  if (days.length === 0) problem('days', 'at least one day');
  return [...out].sort();
}

function resolveRetry(input: CampaignInput['retry'], current: StoredRetryPolicy | null): StoredRetryPolicy {
  const one = (key: keyof StoredRetryPolicy) => {
    const given = input?.[key];
    if (given) return { attempts: given.attempts, spacingS: Math.round(given.spacing_minutes * 60) };
    return current?.[key] ?? { attempts: DEFAULT_RETRY.attempts, spacingS: DEFAULT_RETRY.spacing_minutes * 60 };
  };
  return { busy: one('busy'), no_answer: one('no_answer'), failed: one('failed') };
}

/**
 * on / paused / off. Paused and off place no new calls; off also hangs up the campaign's calls in
 * progress (their attempts settle as usual). `calls` may be absent (no switch): nothing is live then.
 */
export async function switchCampaign(
  d: CampaignDeps & { calls?: { hangup(orgId: string, id: string): Promise<unknown> } | undefined },
  orgId: string,
  id: string,
  status: CampaignStatus,
): Promise<CampaignRow> {
  const row = await setCampaignStatus(d, orgId, id, status);
  if (status === 'off' && d.calls) {
    for (const call of await callsInProgress(d.db, id)) await d.calls.hangup(call.orgId, call.id).catch(() => undefined);
  }
  return row;
}
