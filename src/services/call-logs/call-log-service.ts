/** Call logs through the API: list and sync pages, one call with its bot legs, and notes on a call. */
import { and, desc, eq } from 'drizzle-orm';
import type { Db, Tables } from '../../db/handle.ts';
import { insertionOrder } from '../../db/order.ts';
import { normalizeE164 } from '../numbers/phone.ts';
import { ValidationError } from '../../domain/errors.ts';
import { resolveDisposition } from '../dispositions/disposition-service.ts';
import { legsOfCall, type BotLegRow } from './bot-legs.ts';
import {
  feedSeqOf, getCallLog, listCallLogs, syncCallLogs,
  type CallLogRow, type CallType, type ListFilter, type SyncFilter,
} from './store.ts';

export type CallNoteRow = Tables['callNotes']['$inferSelect'];

const DAY_MS = 86_400_000;
const iso = (v: string, endOfDay: boolean) => {
  const bareDate = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const t = Date.parse(bareDate ? `${v}T00:00:00Z` : v);
  return new Date(bareDate && endOfDay ? t + DAY_MS : t).toISOString();
};

export interface CallLogQuery {
  /** A date (whole days) or an instant. */
  from?: string | undefined;
  to?: string | undefined;
  /** The caller's number, any format. */
  phone?: string | undefined;
  type?: CallType | undefined;
  /** The DID, any format. */
  did?: string | undefined;
  limit: number;
  offset: number;
}

/** The store's filter from the API's query: phone and DID in any format, dates as whole days or instants. */
function listFilter(orgId: string, q: CallLogQuery, defaultCountryCode: string): ListFilter {
  let phones: string[] | undefined;
  if (q.phone !== undefined) {
    const e164 = normalizeE164(q.phone, defaultCountryCode);
    if (!e164) throw new ValidationError('Invalid phone number', [{ field: 'phone', message: 'not a valid phone number' }]);
    phones = [...new Set([e164, e164.slice(1), q.phone.trim()])];
  }
  let did: string | undefined;
  if (q.did !== undefined) {
    did = normalizeE164(q.did, defaultCountryCode) ?? undefined;
    if (!did) throw new ValidationError('Invalid DID', [{ field: 'did', message: 'not a valid phone number' }]);
  }
  return {
    orgId,
    ...(q.from ? { from: iso(q.from, false) } : {}),
    ...(q.to ? { to: iso(q.to, true) } : {}),
    ...(phones ? { phones } : {}),
    ...(q.type ? { type: q.type } : {}),
    ...(did ? { did } : {}),
    limit: q.limit,
    offset: q.offset,
  };
}

/** One page of the org's call logs, newest first; `total` counts every match. */
export function listCallLogPage(db: Db, orgId: string, q: CallLogQuery, defaultCountryCode: string): Promise<{ rows: CallLogRow[]; total: number }> {
  return listCallLogs(db, listFilter(orgId, q, defaultCountryCode));
}

type SyncQuery = { after?: number | undefined; afterIds?: string | undefined; limit: number } & SyncFilter;
type SyncPage = { rows: CallLogRow[]; nextAfter: number; hasMore: boolean };

const afterIdsOf = (q: SyncQuery) => (q.afterIds ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const pageOf = (rows: CallLogRow[], after: number, limit: number): SyncPage => {
  const page = rows.slice(0, limit);
  return { rows: page, nextAfter: page.at(-1)?.seq ?? after, hasMore: rows.length > limit };
};

/**
 * Finished calls after the cursor (`after`, or the feed positions of the ids in `afterIds`), oldest
 * first: up to `limit` rows, whether there are more, and the cursor to continue from.
 */
export async function syncCallLogPage(db: Db, orgId: string, q: SyncQuery): Promise<SyncPage> {
  let after = q.after ?? 0;
  for (const id of afterIdsOf(q)) after = Math.max(after, await feedSeqOf(db, orgId, id));
  const rows = await syncCallLogs(db, orgId, after, q.limit + 1, { type: q.type, notType: q.notType, campaign: q.campaign });
  return pageOf(rows, after, q.limit);
}

/** One call (by call log id or call uuid) with its bot legs. */
export async function getCallLogWithLegs(db: Db, orgId: string, ref: string): Promise<{ row: CallLogRow; legs: BotLegRow[] }> {
  const row = await getCallLog(db, orgId, ref);
  return { row, legs: await legsOfCall(db, orgId, row.id) };
}

/** The notes on a call, newest first. */
export async function listNotes(db: Db, orgId: string, callRef: string): Promise<CallNoteRow[]> {
  const { callNotes } = db.t;
  const call = await getCallLog(db, orgId, callRef);
  return db.select().from(callNotes).where(and(eq(callNotes.orgId, orgId), eq(callNotes.callLogId, call.id)))
    .orderBy(desc(callNotes.createdAt), desc(insertionOrder(db, callNotes)));
}

type NoteBody = { disposition_id?: string | undefined; disposition?: string | undefined; note?: string | undefined };

/** Adds a note (with a disposition of the org, by id or name) to a call. */
export async function addNote(db: Db, author: { orgId: string; id: string }, callRef: string, body: NoteBody, now: () => Date): Promise<CallNoteRow> {
  const call = await getCallLog(db, author.orgId, callRef);
  const disposition = await resolveDisposition(db, author.orgId, body);
  const [row] = await db.insert(db.t.callNotes).values({
    orgId: author.orgId, callLogId: call.id, dispositionId: disposition?.id ?? null, disposition: disposition?.name ?? null,
    note: body.note ?? null, authorId: author.id, createdAt: now().toISOString(),
  }).returning();
  return row!;
}
