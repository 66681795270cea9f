/** The vendor's "lead data for CRM": one lead per number that called or was called, from the newest calls. */
import type { Db } from '../../../db/handle.ts';
import { listCallLogPage } from '../../call-logs/call-log-service.ts';
import { vendorCallStatus, vendorTime } from './call-logs.ts';

export interface Lead {
  phone: string;
  name: string | null;
  calls: number;
  last_call_id: string;
  last_call_time: string;
  last_call_type: string;
  last_call_status: string;
  disposition: string | null;
}

/** Leads from the newest `window` calls, the most recently heard-from first; masked numbers (masking calls) are no leads. */
export async function leadsFromCalls(db: Db, orgId: string, opts: { defaultCountryCode: string; timeZone: string; window: number }): Promise<Lead[]> {
  const { rows } = await listCallLogPage(db, orgId, { limit: opts.window, offset: 0 }, opts.defaultCountryCode);
  const leads = new Map<string, Lead>();
  for (const r of rows) {
    if (!r.caller || r.direction === 'masking') continue;
    const lead = leads.get(r.caller);
    if (lead) {
      lead.calls += 1;
      lead.name ??= r.contact_name;
      lead.disposition ??= r.call_disposition;
      continue;
    }
    leads.set(r.caller, {
      phone: r.caller, name: r.contact_name, calls: 1, last_call_id: r.id, last_call_time: vendorTime(r.started_at, opts.timeZone)!,
      last_call_type: r.direction, last_call_status: vendorCallStatus(r), disposition: r.call_disposition,
    });
  }
  return [...leads.values()];
}
