/**
 * Our call logs in IVR Solutions' words: their `YYYY-MM-DD HH:mm:ss` wall-clock times (in the
 * organization's timezone), their date ranges, their status words, their row fields, and which of our
 * call types their `call_type` values name.
 */
import { ValidationError, type FieldIssue } from '../../../domain/errors.ts';
import { parseScheduleTime } from '../../calls/schedule-time.ts';
import { callStatus, type CallLogRow } from '../../call-logs/store.ts';
import type { AgentView } from '../../human-agents/queries.ts';

/** An instant as the vendor writes times: `2024-12-15 10:30:45`, wall clock in `timeZone`. */
export function vendorTime(iso: string | null, timeZone: string): string | null {
  if (iso === null) return null;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(iso));
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '00';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')}`;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `from_date` / `to_date` (whole days, `YYYY-MM-DD`, in `timeZone`; both inclusive) as the instants our
 * lists take: from the first day's midnight to the midnight after the last day. A bad date is a 400 naming it.
 */
export function dayRange(fromDate: string | undefined, toDate: string | undefined, timeZone: string): { from?: string; to?: string } {
  const issues: FieldIssue[] = [];
  const midnight = (value: string, field: string, plusDays: number): string | undefined => {
    const t = DATE.test(value) ? parseScheduleTime(`${value} 00:00`, timeZone) : null;
    if (t === null) return void issues.push({ field, message: 'use YYYY-MM-DD' });
    // Local midnight of the next day: the wall clock decides, so add the day on the date, not in ms.
    return plusDays === 0 ? new Date(t).toISOString() : new Date(parseScheduleTime(`${nextDay(value)} 00:00`, timeZone)!).toISOString();
  };
  const from = fromDate === undefined ? undefined : midnight(fromDate, 'from_date', 0);
  const to = toDate === undefined ? undefined : midnight(toDate, 'to_date', 1);
  if (issues.length > 0) throw new ValidationError('Invalid date', issues);
  if (from !== undefined && to !== undefined && from >= to) throw new ValidationError('to_date is before from_date', [{ field: 'to_date', message: 'must be on or after from_date' }]);
  return { ...(from !== undefined && { from }), ...(to !== undefined && { to }) };
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The vendor's status words: answered, no_answer, busy, missed (inbound), failed, in_progress. */
export function vendorCallStatus(r: Pick<CallLogRow, 'ended_at' | 'answered_at' | 'direction' | 'hangup_cause'>): string {
  const status = callStatus(r);
  if (status === 'answered' || status === 'in_progress') return status;
  if (r.hangup_cause === 'NO_ANSWER' || r.hangup_cause === 'NO_USER_RESPONSE') return 'no_answer';
  if (r.hangup_cause === 'USER_BUSY') return 'busy';
  return status;
}

export interface VendorCallLog {
  recordid: string;
  did_no: string | null;
  client_no: string | null;
  agent_no: string | null;
  attended_by: string | null;
  ext_no: string | null;
  call_time: string;
  call_duration: number;
  call_status: string;
  call_type: string;
  recording_url: string | null;
  dtmf_input: string;
}

/**
 * One call log row as the vendor's `call_logs` rows: the agent's phone and name come from the agent using
 * the extension (`agents`, by extension number), the recording link is ours.
 */
export function toVendorCallLog(r: CallLogRow, agents: ReadonlyMap<string, AgentView>, baseUrl: string, timeZone: string): VendorCallLog {
  const ext = r.ext_no ?? r.answered_by;
  const agent = ext ? agents.get(ext) : undefined;
  return {
    recordid: r.id,
    did_no: r.did,
    client_no: r.caller,
    agent_no: agent?.phone ?? null,
    attended_by: r.answered_by ? (agents.get(r.answered_by)?.name ?? r.answered_by) : null,
    ext_no: ext,
    call_time: vendorTime(r.started_at, timeZone)!,
    call_duration: r.duration_s ?? 0,
    call_status: vendorCallStatus(r),
    call_type: r.direction,
    recording_url: r.recording_id ? `${baseUrl}/api/v1/calls/${r.id}/recordings/${r.recording_id}/download` : null,
    dtmf_input: r.dtmf,
  };
}

/** The vendor's call types for notes: `incoming`, `outgoing`, `c2c`, `dialer`. */
export const VENDOR_NOTE_CALL_TYPES = ['incoming', 'outgoing', 'c2c', 'dialer'] as const;
export type VendorNoteCallType = (typeof VENDOR_NOTE_CALL_TYPES)[number];

/** Whether the vendor's `call_type` names the call: a dialer call is a campaign's; outgoing is any other placed call. */
export function callTypeMatches(type: VendorNoteCallType, r: Pick<CallLogRow, 'direction'>, fromCampaign: boolean): boolean {
  switch (type) {
    case 'incoming': return r.direction === 'inbound';
    case 'c2c': return r.direction === 'click_to_call';
    case 'dialer': return fromCampaign;
    case 'outgoing': return r.direction !== 'inbound' && r.direction !== 'click_to_call' && !fromCampaign;
  }
}
