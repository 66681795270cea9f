import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database_ } from '../../src/db/client.ts';
import { createCallLogWriter } from '../../src/call/call-log.ts';
import type { Logger } from '../../src/runtime/logger.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import type { CallSession } from '../../src/call/session.ts';

let dir: string;
let database: Database_;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-call-log-'));
  database = openDatabase(join(dir, 'calls.db'));
});
afterEach(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

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

const row = (id: string) =>
  database.sqlite.prepare('select rowid, id, caller, dtmf, ended_at, hangup_cause from call_logs where id = ?').get(id) as
    | { rowid: number; id: string; caller: string; dtmf: string; ended_at: string | null; hangup_cause: string | null }
    | undefined;

function errors(): Logger & { seen: string[] } {
  const seen: string[] = [];
  const log = silentLogger() as Logger & { seen: string[] };
  return Object.assign(Object.create(log) as Logger, { seen, error: (_o: unknown, msg: string) => void seen.push(msg) }) as Logger & { seen: string[] };
}

describe('call log writer', () => {
  it('inserts at start and finishes the same row, in batches of many calls', async () => {
    const w = createCallLogWriter(database.db, silentLogger(), { flushMs: 5 });
    const calls = [1, 2, 3].map(session);
    for (const s of calls) w.start(s, '2026-01-01T00:00:00.000Z');
    w.flush();
    expect(calls.map((s) => row(s.callId)?.ended_at)).toEqual([null, null, null]); // a crash now leaves a trace
    // Two finish in the same batch as a new call's insert.
    const done = Promise.all([w.finish(calls[0]!, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:04.000Z', 'NORMAL_CLEARING'), w.finish(calls[2]!, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:05.000Z', 'ORIGINATOR_CANCEL')]);
    const late = session(4);
    w.start(late, '2026-01-01T00:00:03.000Z');
    await done;
    expect(row('call-1')).toMatchObject({ ended_at: '2026-01-01T00:00:04.000Z', hangup_cause: 'NORMAL_CLEARING', dtmf: '1' });
    expect(row('call-2')).toMatchObject({ ended_at: null });
    expect(row('call-3')).toMatchObject({ ended_at: '2026-01-01T00:00:05.000Z', hangup_cause: 'ORIGINATOR_CANCEL', dtmf: '3' });
    // Start and finish in one batch.
    await w.finish(late, '2026-01-01T00:00:03.000Z', '2026-01-01T00:00:03.000Z', 'NORMAL_CLEARING');
    expect(row('call-4')).toMatchObject({ caller: '+919800000004', ended_at: '2026-01-01T00:00:03.000Z' });
  });

  it('a row is finished by its id even when its rowid changed meanwhile (VACUUM renumbers them), and no other row is touched', async () => {
    const w = createCallLogWriter(database.db, silentLogger(), { flushMs: 1 });
    const a = session(1);
    w.start(a, '2026-01-01T00:00:00.000Z');
    w.flush();
    const before = row('call-1')!.rowid;
    // Move call 1 away and put call 2's row where it was.
    database.sqlite.prepare('update call_logs set rowid = rowid + 1000 where id = ?').run('call-1');
    database.sqlite.prepare(`insert into call_logs (rowid, id, call_uuid, started_at, created_at) values (?, 'call-2', 'uuid-2', 'x', 'x')`).run(before);
    await w.finish(a, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:02.000Z', 'NORMAL_CLEARING');
    expect(row('call-1')).toMatchObject({ rowid: before + 1000, ended_at: '2026-01-01T00:00:02.000Z' });
    expect(row('call-2')).toMatchObject({ rowid: before, ended_at: null, hangup_cause: null });
  });

  it('one bad row does not lose the others; a call whose insert failed finishes only the row that holds its id', async () => {
    const log = errors();
    const w = createCallLogWriter(database.db, log, { flushMs: 1 });
    const good = session(1);
    const dup = session(2);
    const next = session(3);
    database.sqlite.prepare(`insert into call_logs (id, call_uuid, started_at, created_at) values ('call-2', 'elsewhere', 'x', 'x')`).run();
    w.start(good, '2026-01-01T00:00:00.000Z');
    w.start(dup, '2026-01-01T00:00:00.000Z'); // primary key taken: this insert fails, the batch is retried row by row
    w.flush();
    expect(log.seen).toEqual(['call log batch failed; writing rows one by one', 'call log write failed']);
    w.start(next, '2026-01-01T00:00:00.000Z');
    w.flush();
    await Promise.all([
      w.finish(good, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', 'NORMAL_CLEARING'),
      w.finish(dup, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:02.000Z', 'USER_BUSY'),
    ]);
    expect(row('call-1')).toMatchObject({ ended_at: '2026-01-01T00:00:01.000Z' });
    expect(row('call-3')).toMatchObject({ ended_at: null, hangup_cause: null }); // not finished by call 2's update
    expect(row('call-2')).toMatchObject({ ended_at: '2026-01-01T00:00:02.000Z' }); // by id: the row that holds the id
  });
});
