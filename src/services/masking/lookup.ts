/**
 * Inbound masking: "is this caller one party of a live masking session on the DID they dialled?"
 * One prepared statement over masking_sessions (SQLite: in the connection's turn; PostgreSQL: a named
 * statement on the pool); only active, unexpired rows hold the real pair.
 */
import type Database from 'better-sqlite3';
import type { Db } from '../../db/handle.ts';

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
export type MaskingLookup = (did: string, caller: string) => Promise<MaskingMatch | null>;

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

const PG_FIND = FIND.replace('did = ?', 'did = $1').replace('first_phone = ? or second_phone = ?', 'first_phone = $2 or second_phone = $2')
  .replace('expires_at > ?', 'expires_at > $3');

export function createMaskingLookup(db: Db, now: () => Date): MaskingLookup {
  const { driver } = db;
  let find: Database.Statement | undefined;
  const query = async (did: string, caller: string, at: string): Promise<Row | undefined> => {
    if (driver.dialect === 'postgres') {
      return (await driver.pool.query<Row>({ name: 'masking_lookup', text: PG_FIND, values: [did, caller, at] })).rows[0];
    }
    return driver.gate.withRaw((raw) => (find ??= raw.prepare(FIND)).get(did, caller, caller, at) as Row | undefined);
  };
  return async (did, caller) => {
    const row = await query(did, caller, now().toISOString());
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
