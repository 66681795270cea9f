import { and, eq } from 'drizzle-orm';
import type { AppDeps } from '../../http/context.ts';
import type { Db } from '../../db/client.ts';
import { dids, extensions } from '../../db/schema/index.ts';
import { normalizeE164 } from '../numbers/phone.ts';
import { ConflictError, ServiceUnavailableError, ValidationError } from '../errors.ts';
import { CallNotLiveError, SwitchUnavailableError, type CallControl } from '../../switch/call-control.ts';
import type { OutboundRow } from './call-store.ts';

/** E.164 or a 400 naming the field. */
export function phoneField(value: string, field: string, countryCode: string): string {
  const e164 = normalizeE164(value, countryCode);
  if (!e164) throw new ValidationError(`Invalid phone number in ${field}`, [{ field, message: 'not a valid phone number' }]);
  return e164;
}

/** The org's active DID (by number, any format) or a 400 naming the field. */
export function didField(db: Db, orgId: string, value: string, countryCode: string, field = 'did'): string {
  const number = normalizeE164(value, countryCode);
  const row = number
    ? db.select({ number: dids.number, status: dids.status }).from(dids).where(and(eq(dids.orgId, orgId), eq(dids.number, number))).get()
    : undefined;
  if (!row || row.status !== 'active') {
    throw new ValidationError('DID is not an active number of this organization', [{ field, message: 'not an active DID of this organization' }]);
  }
  return row.number;
}

export function extensionField(db: Db, orgId: string, value: string, field = 'ext_no'): string {
  const row = db.select({ number: extensions.number, enabled: extensions.enabled }).from(extensions)
    .where(and(eq(extensions.orgId, orgId), eq(extensions.number, value))).get();
  if (!row || !row.enabled) throw new ValidationError(`Extension ${value} does not exist in this organization`, [{ field, message: 'not an enabled extension of this organization' }]);
  return row.number;
}

export function callControl(deps: AppDeps): CallControl {
  if (!deps.calls) throw new ServiceUnavailableError('Placing calls is not available: no FreeSWITCH connection is configured');
  return deps.calls;
}

/** Maps the originate layer's errors to API errors (503 switch down, 409 call not live). */
export async function mapCallErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SwitchUnavailableError) throw new ServiceUnavailableError(err.message);
    if (err instanceof CallNotLiveError) throw new ConflictError(err.message);
    throw err;
  }
}

export function callStatusDto(r: OutboundRow) {
  return {
    id: r.id,
    logid: r.id,
    type: r.kind,
    status: r.status,
    did: r.did,
    agent: r.extNo,
    first_number: r.firstNumber,
    second_number: r.secondNumber,
    hangup_cause: r.hangupCause,
    scheduled_at: r.scheduledAt === null ? null : new Date(r.scheduledAt).toISOString(),
    started_at: r.startedAt,
    answered_at: r.answeredAt,
    bridged_at: r.bridgedAt,
    ended_at: r.endedAt,
  };
}
