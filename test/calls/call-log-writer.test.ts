import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createCallLogWriter } from '../../src/call/call-log.ts';
import type { Db } from '../../src/db/handle.ts';
import type { Logger } from '../../src/runtime/logger.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import type { CallSession } from '../../src/call/session.ts';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { testDialect } from '../helpers/test-db.ts';

let api: AsyncTestApi;
let db: Db;
beforeEach(async () => {
  api = await openTestApi();
  db = api.deps.adb;
});
afterEach(() => api.close());

/** The parts of a session the writer reads. */
function session(n: number): CallSession {
  return {
    callId: `call-${n}`,
    uuid: `uuid-${n}`,
    orgId: null,
    did: '+918065978001',
    caller: `+91980000000${n}`,
    masking: null,
    channel: { callerIdName: `Caller ${n}` },
    snapshot: null,
    record: { answeredAt: null, path: [], dtmf: String(n), disposition: 'hangup', answeredBy: null },
  } as unknown as CallSession;
}

const row = async (id: string) => {
  const { callLogs } = db.t;
  const [r] = await db.select({ id: callLogs.id, caller: callLogs.caller, dtmf: callLogs.dtmf, ended_at: callLogs.endedAt, hangup_cause: callLogs.hangupCause })
    .from(callLogs).where(eq(callLogs.id, id));
  return r;
};
/** SQLite's rowid of a row (the VACUUM case). */
const rowidOf = (id: string) => (api.database.sqlite.prepare('select rowid from call_logs where id = ?').get(id) as { rowid: number }).rowid;

function errors(): Logger & { seen: string[] } {
  const seen: string[] = [];
  const log = silentLogger() as Logger & { seen: string[] };
  return Object.assign(Object.create(log) as Logger, { seen, error: (_o: unknown, msg: string) => void seen.push(msg) }) as Logger & { seen: string[] };
}

describe('call log writer', () => {
  it('inserts at start and finishes the same row, in batches of many calls', async () => {
    const w = createCallLogWriter(db, silentLogger(), { flushMs: 5 });
    const calls = [1, 2, 3].map(session);
    for (const s of calls) w.start(s, '2026-01-01T00:00:00.000Z');
    await w.flush();
    expect(await Promise.all(calls.map(async (s) => (await row(s.callId))?.ended_at))).toEqual([null, null, null]); // a crash now leaves a trace
    // Two finish in the same batch as a new call's insert.
    const done = Promise.all([w.finish(calls[0]!, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:04.000Z', 'NORMAL_CLEARING'), w.finish(calls[2]!, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:05.000Z', 'ORIGINATOR_CANCEL')]);
    const late = session(4);
    w.start(late, '2026-01-01T00:00:03.000Z');
    await done;
    expect(await row('call-1')).toMatchObject({ ended_at: '2026-01-01T00:00:04.000Z', hangup_cause: 'NORMAL_CLEARING', dtmf: '1' });
    expect(await row('call-2')).toMatchObject({ ended_at: null });
    expect(await row('call-3')).toMatchObject({ ended_at: '2026-01-01T00:00:05.000Z', hangup_cause: 'ORIGINATOR_CANCEL', dtmf: '3' });
    // Start and finish in one batch.
    await w.finish(late, '2026-01-01T00:00:03.000Z', '2026-01-01T00:00:03.000Z', 'NORMAL_CLEARING');
    expect(await row('call-4')).toMatchObject({ caller: '+919800000004', ended_at: '2026-01-01T00:00:03.000Z' });
  });

  // SQLite's rowid (PostgreSQL has none to renumber).
  it.skipIf(testDialect() === 'postgres')('a row is finished by its id even when its rowid changed meanwhile (VACUUM renumbers them), and no other row is touched', async () => {
    const w = createCallLogWriter(db, silentLogger(), { flushMs: 1 });
    const a = session(1);
    w.start(a, '2026-01-01T00:00:00.000Z');
    await w.flush();
    const before = rowidOf('call-1');
    // Move call 1 away and put call 2's row where it was.
    api.database.sqlite.prepare('update call_logs set rowid = rowid + 1000 where id = ?').run('call-1');
    api.database.sqlite.prepare(`insert into call_logs (rowid, id, call_uuid, started_at, created_at) values (?, 'call-2', 'uuid-2', 'x', 'x')`).run(before);
    await w.finish(a, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:02.000Z', 'NORMAL_CLEARING');
    expect(await row('call-1')).toMatchObject({ ended_at: '2026-01-01T00:00:02.000Z' });
    expect(rowidOf('call-1')).toBe(before + 1000);
    expect(await row('call-2')).toMatchObject({ ended_at: null, hangup_cause: null });
    expect(rowidOf('call-2')).toBe(before);
  });

  it('one bad row does not lose the others; a call whose insert failed finishes only the row that holds its id', async () => {
    const log = errors();
    const w = createCallLogWriter(db, log, { flushMs: 1 });
    const good = session(1);
    const dup = session(2);
    const next = session(3);
    await db.insert(db.t.callLogs).values({ id: 'call-2', callUuid: 'elsewhere', startedAt: 'x', createdAt: 'x' });
    w.start(good, '2026-01-01T00:00:00.000Z');
    w.start(dup, '2026-01-01T00:00:00.000Z'); // primary key taken: this insert fails, the batch is retried row by row
    await w.flush();
    expect(log.seen).toEqual(['call log batch failed; writing rows one by one', 'call log write failed']);
    w.start(next, '2026-01-01T00:00:00.000Z');
    await w.flush();
    await Promise.all([
      w.finish(good, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', 'NORMAL_CLEARING'),
      w.finish(dup, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:02.000Z', 'USER_BUSY'),
    ]);
    expect(await row('call-1')).toMatchObject({ ended_at: '2026-01-01T00:00:01.000Z' });
    expect(await row('call-3')).toMatchObject({ ended_at: null, hangup_cause: null }); // not finished by call 2's update
    expect(await row('call-2')).toMatchObject({ ended_at: '2026-01-01T00:00:02.000Z' }); // by id: the row that holds the id
  });
});
