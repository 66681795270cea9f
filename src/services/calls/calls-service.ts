/**
 * Placing calls (click-to-call, two-party, optionally scheduled), their live status, hanging up, and
 * their recordings. The switch does the dialling (`CallControl`, src/switch/call-control.ts).
 */
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { and, asc, eq } from 'drizzle-orm';
import type { Config } from '../../runtime/env.ts';
import type { Db as AsyncDb, Tables } from '../../db/handle.ts';
import { normalizeE164 } from '../numbers/phone.ts';
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '../../domain/errors.ts';
import { getCallLog, type CallLogRow } from '../call-logs/store.ts';
import { getOutboundInOrg, type OutboundRow } from './call-store.ts';
import type { CallControl } from './control.ts';
import { isValidTimeZone, parseScheduleTime } from './schedule-time.ts';
import { agentCallerIdNumber } from '../human-agents/queries.ts';

/** What placing calls needs. */
export interface PlaceDeps {
  db: AsyncDb;
  config: Pick<Config, 'DEFAULT_COUNTRY_CODE'>;
  /** Absent: no FreeSWITCH connection is configured (placing calls answers 503). */
  calls?: CallControl | undefined;
  now: () => Date;
}

/** E.164 or a 400 naming the field. */
export function phoneField(value: string, field: string, countryCode: string): string {
  const e164 = normalizeE164(value, countryCode);
  if (!e164) throw new ValidationError(`Invalid phone number in ${field}`, [{ field, message: 'not a valid phone number' }]);
  return e164;
}

/** The org's active DID (by number, any format) or a 400 naming the field. */
export async function didField(db: AsyncDb, orgId: string, value: string, countryCode: string, field = 'did'): Promise<string> {
  const { dids } = db.t;
  const number = normalizeE164(value, countryCode);
  const [row] = number
    ? await db.select({ number: dids.number, status: dids.status }).from(dids).where(and(eq(dids.orgId, orgId), eq(dids.number, number))).limit(1)
    : [];
  if (!row || row.status !== 'active') {
    throw new ValidationError('DID is not an active number of this organization', [{ field, message: 'not an active DID of this organization' }]);
  }
  return row.number;
}

/** The org's enabled extension `value` or a 400 naming the field. */
export async function extensionField(db: AsyncDb, orgId: string, value: string, field = 'ext_no'): Promise<string> {
  const { extensions } = db.t;
  const [row] = await db.select({ number: extensions.number, enabled: extensions.enabled }).from(extensions)
    .where(and(eq(extensions.orgId, orgId), eq(extensions.number, value))).limit(1);
  if (!row || !row.enabled) throw new ValidationError(`Extension ${value} does not exist in this organization`, [{ field, message: 'not an enabled extension of this organization' }]);
  return row.number;
}

/** `schedule_datetime` (+ `timezone`) as epoch ms, null when absent, or a 400 naming the field. */
export function scheduleField(b: { schedule_datetime?: string | undefined; timezone?: string | undefined }, now: Date): number | null {
  if (b.timezone !== undefined && !isValidTimeZone(b.timezone)) {
    throw new ValidationError('Unknown timezone', [{ field: 'timezone', message: 'not an IANA time zone (e.g. Asia/Kolkata)' }]);
  }
  if (b.schedule_datetime === undefined) return null;
  const at = parseScheduleTime(b.schedule_datetime, b.timezone ?? 'UTC');
  if (at === null) throw new ValidationError('Invalid schedule_datetime', [{ field: 'schedule_datetime', message: 'use "YYYY-MM-DD HH:mm" (in timezone) or ISO 8601 with an offset' }]);
  if (at < now.getTime() - 60_000) throw new ValidationError('schedule_datetime is in the past', [{ field: 'schedule_datetime', message: 'must be in the future' }]);
  return at;
}

export function callControl(calls: CallControl | undefined): CallControl {
  if (!calls) throw new ServiceUnavailableError('Placing calls is not available: no FreeSWITCH connection is configured');
  return calls;
}

/**
 * Rings the agent's extension, then the customer (showing the DID). Without `did`, the caller ID is the
 * DID assigned to the agent using the extension (PATCH /agents/{id} caller_id_did).
 */
export async function clickToCall(deps: PlaceDeps, orgId: string, input: { did?: string | undefined; ext_no: string; phone: string }): Promise<{ id: string; ext: string }> {
  const { db, config } = deps;
  const phone = phoneField(input.phone, 'phone', config.DEFAULT_COUNTRY_CODE);
  const given = input.did ?? await agentCallerIdNumber(db, orgId, input.ext_no);
  if (given === null) throw new ValidationError('did is required: no agent with a caller-ID DID uses this extension', [{ field: 'did', message: 'required unless the extension\'s agent has a caller_id_did' }]);
  const did = await didField(db, orgId, given, config.DEFAULT_COUNTRY_CODE);
  const ext = await extensionField(db, orgId, input.ext_no);
  const control = callControl(deps.calls);
  const row = await control.create({ orgId, kind: 'click_to_call', did, first: null, second: phone, extNo: ext });
  return { id: row.id, ext };
}

export interface TwoPartyInput {
  did: string;
  first_phone: string;
  second_phone: string;
  body?: string | undefined;
  schedule_datetime?: string | undefined;
  timezone?: string | undefined;
}

/** Calls the first party, plays the intro, then dials the second; now, or at `schedule_datetime`. */
export async function twoPartyCall(deps: PlaceDeps, orgId: string, b: TwoPartyInput): Promise<{ id: string; scheduledAt: number | null }> {
  const { db, config, now } = deps;
  const first = phoneField(b.first_phone, 'first_phone', config.DEFAULT_COUNTRY_CODE);
  const second = phoneField(b.second_phone, 'second_phone', config.DEFAULT_COUNTRY_CODE);
  const did = await didField(db, orgId, b.did, config.DEFAULT_COUNTRY_CODE);
  const scheduledAt = scheduleField(b, now());
  const control = callControl(deps.calls);
  const row = await control.create({
    orgId, kind: 'two_party', did, first, second, intro: b.body ?? null, scheduledAt, timezone: b.timezone ?? null,
  });
  return { id: row.id, scheduledAt };
}

/** A placed call's row, else the inbound call's log row (404 when neither is the org's). */
export async function findCall(db: AsyncDb, orgId: string, id: string): Promise<{ placed: OutboundRow } | { inbound: CallLogRow }> {
  const placed = await getOutboundInOrg(db, orgId, id);
  return placed ? { placed } : { inbound: await getCallLog(db, orgId, id) };
}

/** Hangs up a live call (placed or inbound), or cancels a scheduled one. */
export async function hangUpCall(deps: PlaceDeps, orgId: string, id: string): Promise<'hungup' | 'cancelled'> {
  const { db } = deps;
  const placed = await getOutboundInOrg(db, orgId, id);
  const inbound = placed ? null : await getCallLog(db, orgId, id);
  if (inbound?.ended_at) throw new ConflictError('Call has already ended');
  const control = callControl(deps.calls);
  return control.hangup(orgId, placed?.id ?? inbound!.id, inbound ? { uuid: inbound.call_uuid, switchId: inbound.switch_id } : null);
}

export type RecordingRow = Tables['callRecordings']['$inferSelect'];

/** The recordings of a call (by call log id or call uuid), oldest first. */
export async function listRecordings(db: AsyncDb, orgId: string, callRef: string): Promise<RecordingRow[]> {
  const { callRecordings } = db.t;
  const call = await getCallLog(db, orgId, callRef);
  return db.select().from(callRecordings).where(and(eq(callRecordings.orgId, orgId), eq(callRecordings.callId, call.id)))
    .orderBy(asc(callRecordings.createdAt));
}

/** One recording's audio as a stream with its size; a file not (yet) on disk is a not-found. */
export async function openRecording(db: AsyncDb, orgId: string, callId: string, recordingId: string): Promise<{ recording: RecordingRow; size: number; stream: Readable }> {
  const { callRecordings } = db.t;
  const [rec] = await db.select().from(callRecordings)
    .where(and(eq(callRecordings.id, recordingId), eq(callRecordings.orgId, orgId), eq(callRecordings.callId, callId))).limit(1);
  if (!rec) throw new NotFoundError('Recording not found');
  let size: number;
  try {
    size = statSync(rec.path).size;
  } catch {
    throw new NotFoundError('Recording file is not available (yet)');
  }
  return { recording: rec, size, stream: createReadStream(rec.path) };
}
