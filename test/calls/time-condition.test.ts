import { afterEach, describe, expect, it } from 'vitest';
import { runCall } from '../../src/call/runner.ts';
import { fakeChannel } from '../helpers/fake-channel.ts';
import { testCallDeps } from '../helpers/call-deps.ts';
import { testSnapshot } from '../helpers/snapshot.ts';
import { PROMPTS } from '../../src/call/prompts.ts';
import type { ConfigSnapshot, SnapshotSchedule } from '../../src/publish/snapshot.ts';

const DID = '+918065978001';
const A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const schedule = (id: string, over: Partial<SnapshotSchedule> = {}): SnapshotSchedule => ({
  id, name: `Schedule ${id.slice(0, 1)}`, timezone: 'Europe/London',
  weekly: { sun: [], mon: [{ start: '09:00', end: '17:00' }], tue: [], wed: [], thu: [], fri: [], sat: [] },
  holidays: [], open: { type: 'extension', value: '1001' }, closed: { type: 'hangup', value: null }, ...over,
});

/** One call to DID → time_condition `id`, at `now`, over a hand-built snapshot. */
async function call(id: string, schedules: SnapshotSchedule[], now: string) {
  const snapshot = testSnapshot({ schedules: Object.fromEntries(schedules.map((s) => [s.id, s])) });
  const did = { number: DID, routingType: 'time_condition', destination: id } as ConfigSnapshot['dids'][string];
  const t = await testCallDeps({ [DID]: { snapshot, did } });
  t.deps.now = () => new Date(now);
  cleanup = t.close;
  const f = fakeChannel({ destination: '918065978001' });
  await runCall(f.channel, t.deps);
  const [log] = await t.adb.select().from(t.adb.t.callLogs);
  expect(f.listenerCount()).toBe(0);
  return { f, log: log!, path: log!.path as { step: string; type?: string; value?: string | null; result?: string }[] };
}

describe('time_condition at call time', () => {
  it('closed (Monday 17:00 in London, the end minute): the closed destination, hangup', async () => {
    const { log, path } = await call(A, [schedule(A)], '2026-03-09T17:00:00Z');
    expect(path.slice(1).map((p) => [p.type, p.value, p.result ?? null])).toEqual([['time_condition', A, 'closed'], ['hangup', null, null]]);
    expect(log.disposition).toBe('ended_by_ivr');
  });

  it('a schedule missing from the snapshot: apology, failed, NORMAL_TEMPORARY_FAILURE', async () => {
    const { f, log, path } = await call(B, [schedule(A)], '2026-03-09T12:00:00Z');
    expect(path.at(-1)).toMatchObject({ type: 'time_condition', value: B, result: 'not_published' });
    expect(f.steps.some((s) => s.arg === PROMPTS.apology)).toBe(true);
    expect(f.cause()).toBe('NORMAL_TEMPORARY_FAILURE');
    expect(log.disposition).toBe('failed');
  });

  it('schedules that send calls round in a circle (a snapshot publish would refuse) end after a bounded chain', async () => {
    const a = schedule(A, { closed: { type: 'time_condition', value: B } });
    const b = schedule(B, { closed: { type: 'time_condition', value: A } });
    const { log, path } = await call(A, [a, b], '2026-03-08T12:00:00Z');
    const hops = path.filter((p) => p.type === 'time_condition');
    expect(hops).toHaveLength(17);
    expect(hops.at(-1)).toMatchObject({ result: 'loop_limit' });
    expect(log.disposition).toBe('failed');
  });
});
