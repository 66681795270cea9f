/**
 * The vendor's two ways to annotate a call (update_call_note by record id, add_call_note by SIP call id)
 * as one of our notes: the call found by id or call uuid, its `call_type` checked against the call (a
 * mismatch is a 400, never ignored), its status a disposition of ours by id.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../../db/handle.ts';
import { ValidationError } from '../../../domain/errors.ts';
import { addNote, type CallNoteRow } from '../../call-logs/call-log-service.ts';
import { getCallLog } from '../../call-logs/store.ts';
import { callTypeMatches, type VendorNoteCallType } from './call-logs.ts';

export interface VendorNote {
  /** Call log id or call uuid (SIP call id). */
  ref: string;
  refField: string;
  callType?: VendorNoteCallType | undefined;
  /** A disposition id of ours (get_call_status lists them). */
  status?: string | undefined;
  statusField: string;
  note?: string | undefined;
}

export async function addVendorNote(db: Db, author: { orgId: string; id: string }, n: VendorNote, now: () => Date): Promise<CallNoteRow> {
  const call = await getCallLog(db, author.orgId, n.ref);
  if (n.callType !== undefined) {
    const { outboundCalls } = db.t;
    const fromCampaign = (await db.select({ id: outboundCalls.id }).from(outboundCalls)
      .where(and(eq(outboundCalls.id, call.id), isNotNull(outboundCalls.campaignId))).limit(1)).length > 0;
    if (!callTypeMatches(n.callType, call, fromCampaign)) {
      throw new ValidationError('call_type does not match the call', [{ field: 'call_type', message: `the ${n.refField} names a ${fromCampaign ? 'dialer' : call.direction} call` }]);
    }
  }
  if (n.status === undefined && n.note === undefined) throw new ValidationError('Nothing to note', [{ field: n.statusField, message: 'give a status or a note' }]);
  try {
    return await addNote(db, author, call.id, { ...(n.status !== undefined && { disposition_id: n.status }), ...(n.note !== undefined && { note: n.note }) }, now);
  } catch (err) {
    // The disposition is the vendor's status field: say so in its words.
    if (err instanceof ValidationError) throw new ValidationError('Unknown call status', [{ field: n.statusField, message: 'not a call status id of this organization (get_call_status lists them)' }]);
    throw err;
  }
}
