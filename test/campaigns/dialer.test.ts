// The dialer against the database with a fake call control (no switch): exactly-once dialling, concurrency,
// retries by outcome, the calling window, do-not-call, status changes, a restart, and two instances
// sharing one database (the same SQLite file, or one PostgreSQL database through two pools).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { join } from 'node:path';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';
import { openDatabase } from '../../src/db/sqlite.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { createDialer, type Dialer } from '../../src/switch/dialer.ts';
import { createCallEventBus } from '../../src/domain/call-events.ts';
import type { CallControl } from '../../src/services/calls/control.ts';
import { finishCallLog, getOutbound, setStatus, startCallLog } from '../../src/services/calls/call-store.ts';
import type { Db } from '../../src/db/handle.ts';

const DID = '+918065978001';
/** Wednesday 2026-12-02 10:00 in Asia/Kolkata (04:30 UTC). */
const WED_10AM = Date.parse('2026-12-02T04:30:00Z');

let api: AsyncTestApi;
let org: TestOrg;
let clock = WED_10AM;
const now = () => new Date(clock);
const cleanups: Array<() => unknown> = [];

/** The fake switch's writes in flight: a test's pass waits for them, as a real originate's row is written before it returns. */
const writing = new Set<Promise<unknown>>();
function track<T>(p: Promise<T>): Promise<T> {
  writing.add(p);
  void p.finally(() => writing.delete(p)).catch(() => undefined);
  return p;
}
async function settled(): Promise<void> {
  while (writing.size > 0) await Promise.allSettled([...writing]);
}

/** A switch stand-in: remembers what was placed and which calls are up; a test ends them. */
function fakeCalls(db: Db, o: { connected?: boolean; failPlace?: boolean } = {}) {
  const placed: string[] = [];
  const up = new Set<string>();
  let maxUp = 0;
  const control: CallControl = {
    get connected() {
      return o.connected ?? true;
    },
    async create() {
      throw new Error('not used');
    },
    async place(id) {
      if (o.failPlace) throw new Error('switch went away');
      placed.push(id);
      up.add(id);
      maxUp = Math.max(maxUp, up.size);
      const at = new Date(clock).toISOString();
      await track((async () => {
        const row = (await getOutbound(db, id))!;
        await setStatus(db, id, 'dialing', { startedAt: at });
        await startCallLog(db, row, at, null);
      })());
    },
    async hangup(_org, id) {
      await end(id, { answered: true, disposition: 'ended_by_ivr' });
      return 'hungup';
    },
    start() {},
    stop() {},
    settled: () => Promise.resolve(),
  };
  /** What the call control (or the session) writes when a call ends. */
  const end = async (id: string, r: { answered: boolean; disposition: string; cause?: string }) => {
    const at = new Date(clock).toISOString();
    const row = (await getOutbound(db, id))!;
    await setStatus(db, id, r.answered ? 'ended' : 'failed', { endedAt: at, hangupCause: r.cause ?? (r.answered ? 'NORMAL_CLEARING' : 'USER_BUSY'), ...(r.answered ? { answeredAt: at } : {}) });
    if (r.answered) await db.update(db.t.callLogs).set({ answeredAt: at }).where(eq(db.t.callLogs.id, id));
    await finishCallLog(db, id, { endedAt: at, startedAt: row.startedAt ?? at, cause: r.cause ?? null, disposition: r.disposition, path: [] });
    up.delete(id);
  };
  return { control, placed, up, end, maxUp: () => maxUp };
}

async function req<T = Record<string, any>>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await api.call(method, path, { token: org.token, body });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

let templateId = '';
beforeEach(async () => {
  clock = WED_10AM;
  api = await openTestApi();
  org = await api.org('Acme');
  // The DID and the text template the campaigns play, stored directly (the campaign routes are what this exercises).
  const { dids, ttsTemplates } = api.deps.adb.t;
  await api.deps.adb.insert(dids).values({ number: DID, orgId: org.orgId, status: 'active' });
  const [template] = await api.deps.adb.insert(ttsTemplates).values({ orgId: org.orgId, name: 'reminder', text: 'Your order is ready.', language: 'en-IN' }).returning();
  templateId = template!.id;
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await api.close();
});

function dialer(db: Db, calls: CallControl): Dialer {
  const d = createDialer({ db, logger: silentLogger(), calls, now, tickMs: 60_000 });
  cleanups.push(() => d.stop());
  // A pass, then the fake switch's writes for the calls it placed (and a failed placement's unclaim).
  const pass = async () => {
    const r = await d.pass();
    await settled();
    await new Promise((r) => setImmediate(r));
    return r;
  };
  return { ...d, pass };
}

async function campaign(body: Record<string, unknown> = {}, numbers = ['+919900000001', '+919900000002', '+919900000003']): Promise<string> {
  const c = await req<{ id: string }>('POST', '/api/v1/campaigns', {
    name: `c${Math.random()}`, did: DID, template: templateId, no_of_call: 2, start_time: '09:00', end_time: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    timezone: 'Asia/Kolkata', status: 'on', ...body,
  });
  if (numbers.length) await req('POST', `/api/v1/campaigns/${c.id}/numbers/bulk`, { numbers });
  return c.id;
}

const numbersOf = (db: Db, id: string) =>
  db.select().from(db.t.campaignNumbers).where(eq(db.t.campaignNumbers.campaignId, id)).orderBy(asc(db.t.campaignNumbers.createdAt), asc(db.t.campaignNumbers.id));

/** A second instance's handle on the test's database: another SQLite connection to the file, or another PostgreSQL pool. */
async function secondHandle(): Promise<Db> {
  if (api.dialect === 'sqlite') {
    const other = openDatabase(join(api.config.DATA_DIR, 'test.db'));
    cleanups.push(() => other.close());
    return other.adb;
  }
  const other = await openPostgres(api.config.DATABASE_URL, { max: 4, migrate: false });
  cleanups.push(() => other.close());
  return other.adb;
}

describe('dialer', () => {
  it('dials each number once, never more than no_of_call at a time, and completes answered ones', async () => {
    const id = await campaign();
    const f = fakeCalls(api.deps.adb);
    const d = dialer(api.deps.adb, f.control);
    expect(await d.pass()).toMatchObject({ placed: 2 });
    expect(await d.pass()).toMatchObject({ placed: 0 }); // full
    await f.end(f.placed[0]!, { answered: true, disposition: 'ended_by_ivr' });
    expect(await d.pass()).toMatchObject({ settled: 1, placed: 1 });
    for (const c of [...f.up]) await f.end(c, { answered: true, disposition: 'connected' });
    await d.pass();
    expect(await d.pass()).toMatchObject({ placed: 0 });
    expect(f.placed).toHaveLength(3);
    expect(f.maxUp()).toBe(2);
    expect(new Set(await getOutboundNumbers(api.deps.adb, f.placed)).size).toBe(3);
    expect((await numbersOf(api.deps.adb, id)).map((n) => [n.status, n.attempts, n.answered])).toEqual([['completed', 1, true], ['completed', 1, true], ['completed', 1, true]]);
    const list = await req<{ campaigns: Array<{ totals: Record<string, number> }> }>('GET', '/api/v1/campaigns');
    expect(list.campaigns[0]!.totals).toMatchObject({ numbers: 3, completed: 3, answered: 3, pending: 0, failed: 0 });
  });

  it('the end of a call it placed wakes it at once; the end of any other call does not', async () => {
    await campaign({ no_of_call: 1 });
    const f = fakeCalls(api.deps.adb);
    const bus = createCallEventBus();
    const d = createDialer({ db: api.deps.adb, logger: silentLogger(), calls: f.control, now, tickMs: 60_000, bus });
    cleanups.push(() => d.stop());
    d.start(); // a first pass at once, then only the 60 s tick
    await expect.poll(() => f.placed.length).toBe(1);
    await settled();
    const hangup = (callId: string) => bus.emit({ type: 'call.hangup', callId, orgId: org.orgId, cause: 'NORMAL_CLEARING', disposition: 'connected', at: new Date(clock).toISOString() });
    // An inbound call ends: no pass (the campaign's slot is still taken anyway, but nothing is even asked).
    await f.end(f.placed[0]!, { answered: true, disposition: 'connected' });
    hangup('inbound-call');
    await new Promise((r) => setTimeout(r, 200));
    expect(f.placed).toHaveLength(1);
    // Its own call's end: the freed slot is refilled without waiting for the tick.
    hangup(f.placed[0]!);
    await expect.poll(() => f.placed.length).toBe(2);
    await settled();
  });

  it('retries busy after its spacing until its attempts run out; no answer has its own policy', async () => {
    const id = await campaign({ no_of_call: 5, retry: { busy: { attempts: 2, spacing_minutes: 10 }, no_answer: { attempts: 1, spacing_minutes: 1 } } }, ['+919900000001', '+919900000002']);
    const f = fakeCalls(api.deps.adb);
    const d = dialer(api.deps.adb, f.control);
    await d.pass();
    const numbers = await getOutboundNumbers(api.deps.adb, f.placed);
    const callTo = (n: string) => f.placed[numbers.indexOf(n)]!;
    const [busyCall, silentCall] = [callTo('+919900000001'), callTo('+919900000002')];
    await f.end(busyCall!, { answered: false, disposition: 'busy', cause: 'USER_BUSY' });
    await f.end(silentCall!, { answered: false, disposition: 'no_answer', cause: 'NO_ANSWER' });
    expect(await d.pass()).toMatchObject({ settled: 2, placed: 0 }); // busy waits 10 minutes
    const [busy, silent] = (await numbersOf(api.deps.adb, id)).sort((a, b) => a.number.localeCompare(b.number));
    expect(silent).toMatchObject({ status: 'failed', attempts: 1, lastOutcome: 'no_answer' });
    expect(busy).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: WED_10AM + 600_000 });
    clock += 9 * 60_000;
    expect(await d.pass()).toMatchObject({ placed: 0 });
    clock += 60_000;
    expect(await d.pass()).toMatchObject({ placed: 1 });
    await f.end(f.placed[2]!, { answered: false, disposition: 'busy', cause: 'USER_BUSY' });
    clock += 3600_000;
    await d.pass();
    expect(await d.pass()).toMatchObject({ placed: 0 });
    expect((await numbersOf(api.deps.adb, id)).find((n) => n.number === '+919900000001')).toMatchObject({ status: 'failed', attempts: 2, lastOutcome: 'busy' });
    const logs = await req<{ attempts: Array<{ number: string; attempt: number; outcome: string; answered: boolean }>; total: number }>('GET', `/api/v1/campaign-logs?campaign_id=${id}`);
    expect(logs.total).toBe(3);
    expect(logs.attempts.filter((a) => a.number === '+919900000001').map((a) => [a.attempt, a.outcome, a.answered])).toEqual([[2, 'busy', false], [1, 'busy', false]]);
  });

  it('never dials outside the window (hours, days, timezone), then dials when it opens', async () => {
    await campaign({ start_time: '09:00', end_time: '18:00', days: ['mon'] });
    const f = fakeCalls(api.deps.adb);
    const d = dialer(api.deps.adb, f.control);
    expect(await d.pass()).toMatchObject({ placed: 0 }); // a Wednesday
    clock = Date.parse('2026-12-07T03:29:00Z'); // Monday 08:59 IST
    expect(await d.pass()).toMatchObject({ placed: 0 });
    clock = Date.parse('2026-12-07T03:30:00Z'); // Monday 09:00 IST
    expect(await d.pass()).toMatchObject({ placed: 2 });
    clock = Date.parse('2026-12-07T12:30:00Z'); // 18:00 IST: closed again
    for (const c of [...f.up]) await f.end(c, { answered: true, disposition: 'connected' });
    expect(await d.pass()).toMatchObject({ settled: 2, placed: 0 });
  });

  it('never dials a number on the do-not-call list, even one added after the number', async () => {
    const id = await campaign({}, ['+919900000001', '09900000002']);
    await req('POST', '/api/v1/dnc', { numbers: ['9900000002'], reason: 'asked' });
    const f = fakeCalls(api.deps.adb);
    await dialer(api.deps.adb, f.control).pass();
    expect(f.placed).toHaveLength(1);
    expect((await numbersOf(api.deps.adb, id)).find((n) => n.number === '+919900000002')).toMatchObject({ status: 'dnc', attempts: 0 });
  });

  it('paused and off place nothing; off hangs up the calls in progress; on resumes', async () => {
    const id = await campaign({ no_of_call: 1 });
    const f = fakeCalls(api.deps.adb);
    api.deps.calls = f.control;
    const d = dialer(api.deps.adb, f.control);
    await d.pass();
    await req('POST', `/api/v1/campaigns/${id}/status`, { status: 'paused' });
    await f.end(f.placed[0]!, { answered: true, disposition: 'connected' });
    expect(await d.pass()).toMatchObject({ settled: 1, placed: 0 });
    await req('POST', `/api/v1/campaigns/${id}/status`, { status: 'on' });
    expect(await d.pass()).toMatchObject({ placed: 1 });
    await req('POST', `/api/v1/campaigns/${id}/status`, { status: 'off' });
    expect(f.up.size).toBe(0); // hung up
    expect(await d.pass()).toMatchObject({ settled: 1, placed: 0 });
  });

  it('a call that could not be placed (switch gone) leaves its number due, uncounted', async () => {
    const id = await campaign({ no_of_call: 1 }, ['+919900000001']);
    const f = fakeCalls(api.deps.adb, { failPlace: true });
    const d = dialer(api.deps.adb, f.control);
    await d.pass();
    await d.stop();
    expect((await numbersOf(api.deps.adb, id))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await api.deps.adb.select().from(api.deps.adb.t.outboundCalls))[0]).toMatchObject({ status: 'cancelled', hangupCause: 'NOT_DIALLED' });
  });

  it('a restart mid-campaign: the new dialer neither dials anyone twice nor skips anyone', async () => {
    const id = await campaign({ no_of_call: 2 }, ['+919900000001', '+919900000002', '+919900000003', '+919900000004']);
    const first = fakeCalls(api.deps.adb);
    const d1 = dialer(api.deps.adb, first.control);
    await d1.pass();
    await d1.stop(); // the process dies with two calls up
    const second = fakeCalls(api.deps.adb);
    const d2 = dialer(api.deps.adb, second.control);
    expect(await d2.pass()).toMatchObject({ placed: 0 }); // both slots still taken by calls in progress
    for (const c of first.placed) await first.end(c, { answered: true, disposition: 'connected' });
    expect(await d2.pass()).toMatchObject({ settled: 2, placed: 2 });
    for (const c of [...second.up]) await second.end(c, { answered: false, disposition: 'failed', cause: 'NORMAL_TEMPORARY_FAILURE' });
    await d2.pass();
    const all = [...first.placed, ...second.placed];
    expect(new Set(await getOutboundNumbers(api.deps.adb, all)).size).toBe(4);
    expect((await numbersOf(api.deps.adb, id)).every((n) => n.attempts === 1 && n.status !== 'pending' && n.status !== 'dialing')).toBe(true);
  });

  it('two instances on one database file: each number dialled once, the concurrency held across both', async () => {
    const id = await campaign({ no_of_call: 3 }, Array.from({ length: 30 }, (_, i) => `+9199000${String(i).padStart(5, '0')}`));
    const other = await secondHandle();
    const a = fakeCalls(api.deps.adb);
    const b = fakeCalls(other);
    const da = dialer(api.deps.adb, a.control);
    const db2 = dialer(other, b.control);
    const inProgress = async () => (await numbersOf(api.deps.adb, id)).filter((n) => n.status === 'dialing').length;
    let peak = 0;
    for (let round = 0; round < 40; round++) {
      // Either may get to the database first.
      await Promise.all(round % 2 ? [da.pass(), db2.pass()] : [db2.pass(), da.pass()]);
      peak = Math.max(peak, await inProgress());
      // End one call of each instance per round (answered), as calls would.
      const ea = [...a.up][0];
      const eb = [...b.up][0];
      if (ea) await a.end(ea, { answered: true, disposition: 'connected' });
      if (eb) await b.end(eb, { answered: true, disposition: 'connected' });
    }
    expect(peak).toBeLessThanOrEqual(3);
    const dialled = await getOutboundNumbers(api.deps.adb, [...a.placed, ...b.placed]);
    expect(dialled).toHaveLength(30);
    expect(new Set(dialled).size).toBe(30);
    expect(a.placed.length).toBeGreaterThan(0);
    expect(b.placed.length).toBeGreaterThan(0);
  });

  it('two instances claiming at the same moment, pass after pass: no number dialled twice, never above no_of_call', async () => {
    const total = 120;
    const id = await campaign({ no_of_call: 25 }, []);
    for (let i = 0; i < total; i += 100) {
      await req('POST', `/api/v1/campaigns/${id}/numbers/bulk`, { numbers: Array.from({ length: Math.min(100, total - i) }, (_, k) => `+9198${String(i + k).padStart(8, '0')}`) });
    }
    const other = await secondHandle();
    const a = fakeCalls(api.deps.adb);
    const b = fakeCalls(other);
    const [da, db2] = [dialer(api.deps.adb, a.control), dialer(other, b.control)];
    let peak = 0;
    for (let round = 0; round < 30 && a.placed.length + b.placed.length < total; round++) {
      // Both claim at once (each pass settles, then claims), several times over.
      await Promise.all([da.pass(), db2.pass(), da.pass(), db2.pass()]);
      const dialing = (await numbersOf(api.deps.adb, id)).filter((n) => n.status === 'dialing').length;
      peak = Math.max(peak, dialing, a.up.size + b.up.size);
      for (const c of [...a.up]) await a.end(c, { answered: true, disposition: 'connected' });
      for (const c of [...b.up]) await b.end(c, { answered: true, disposition: 'connected' });
      clock += 1000; // each instance may start 20 calls a second
    }
    await da.pass(); // settles the last calls
    const dialled = await getOutboundNumbers(api.deps.adb, [...a.placed, ...b.placed]);
    expect(dialled).toHaveLength(total);
    expect(new Set(dialled).size).toBe(total);
    expect(peak).toBeLessThanOrEqual(25);
    expect((await numbersOf(api.deps.adb, id)).every((n) => n.status === 'completed' && n.attempts === 1)).toBe(true);
  });
});

async function getOutboundNumbers(db: Db, ids: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) out.push((await getOutbound(db, id))!.firstNumber!);
  return out;
}
