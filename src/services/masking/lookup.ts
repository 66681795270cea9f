/**
 * Inbound masking: "is this caller one party of a live masking session on the DID they dialled?"
 * One prepared statement over masking_sessions; only active, unexpired rows hold the real pair.
 */
import { sqliteOf, type Db } from '../../db/client.ts';

/** A caller who is one party of an active masking session on the DID they dialled. */
export interface MaskingMatch {
  sessionId: string;
  orgId: string;
  /** The other party's real E.164 number (exists only while the session is active). */
  otherParty: string;
  /** Masked forms, the only ones that may be stored. */
  callerMasked: string;
  otherMasked: string;
}

/** What a call asks before routing (CallDeps.maskingLookup); createMaskingLookup answers over masking_sessions. */
export type MaskingLookup = (did: string, caller: string) => MaskingMatch | null;

const FIND = `select id, org_id, first_phone, second_phone, first_masked, second_masked from masking_sessions
  where did = ? and status = 'active' and (first_phone = ? or second_phone = ?) and (expires_at is null or expires_at > ?)
  order by created_at desc limit 1`;

interface Row {
  id: string;
  org_id: string;
  first_phone: string | null;
  second_phone: string | null;
  first_masked: string;
  second_masked: string;
}

export function createMaskingLookup(db: Db, now: () => Date): MaskingLookup {
  const find = sqliteOf(db).prepare(FIND);
  return (did, caller) => {
    const row = find.get(did, caller, caller, now().toISOString()) as Row | undefined;
    if (!row?.first_phone || !row.second_phone) return null;
    const callerIsFirst = row.first_phone === caller;
    return {
      sessionId: row.id,
      orgId: row.org_id,
      otherParty: callerIsFirst ? row.second_phone : row.first_phone,
      callerMasked: callerIsFirst ? row.first_masked : row.second_masked,
      otherMasked: callerIsFirst ? row.second_masked : row.first_masked,
    };
  };
}
