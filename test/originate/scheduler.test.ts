import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createCallHarness, type CallHarness } from './harness.ts';
import { createCallScheduler } from '../../src/switch/call-scheduler.ts';
import { createCallControl } from '../../src/switch/call-control.ts';
import { oneSwitch } from '../helpers/switches.ts';
import { testDialect } from '../helpers/test-db.ts';
import { createCallEventBus } from '../../src/domain/call-events.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { parseScheduleTime } from '../../src/services/calls/schedule-time.ts';

let h: CallHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const originates = (hh: CallHarness) => hh.emu.commandLog.filter((l) => l.startsWith('bgapi originate')).length;

describe('call scheduler', () => {
  it('fires a due call exactly once, even with two schedulers (two processes) polling', async () => {
    h = await createCallHarness();
    const org = await h.org();
    const res = await h.api.call('POST', '/api/v1/calls/two-party', { token: org.token, body: { did: org.did, first_phone: '9944421125', second_phone: '9944421126', schedule_datetime: '2099-01-01T00:00:00Z' } });
    const { logid } = (await res.json()) as { logid: string };
    let clock = Date.parse('2098-12-31T23:59:00Z');
    const mk = () => createCallScheduler({ db: h!.api.deps.adb, logger: silentLogger(), calls: h!.control, pollMs: 10, now: () => clock });
    const [s1, s2] = [mk(), mk()];
    expect(await s1.runOnce()).toBe(0);
    clock = Date.parse('2099-01-01T00:00:01Z');
    const fired = await Promise.all([s1.runOnce(), s2.runOnce()]);
    expect(fired[0]! + fired[1]!).toBe(1);
    await h.waitStatus(org, logid, 'bridged');
    expect(await s2.runOnce()).toBe(0);
    expect(originates(h)).toBe(1);
  });

  it('after a restart, a claimed call whose channel never appeared is failed, not redialled; a live one is adopted', async () => {
    h = await createCallHarness();
    const org = await h.org();
    const db = h.api.deps.adb;
    const { outboundCalls } = db.t;
    const callRow = async (id: string) => (await db.select().from(outboundCalls).where(eq(outboundCalls.id, id)))[0]!;
    await db.insert(outboundCalls).values({
      id: 'lost', orgId: org.orgId, kind: 'two_party', did: org.did, firstNumber: '+919944421125', secondNumber: '+919944421126', status: 'dialing',
      aLegUuid: randomUUID(), bLegUuid: randomUUID(), startedAt: 't', createdAt: 't', updatedAt: 't',
    });
    // A live call placed by "the previous process": create it on the emulator, then adopt it.
    const placed = (await (await h.api.call('POST', '/api/v1/calls/two-party', { token: org.token, body: { did: org.did, first_phone: '9944421125', second_phone: '9944421127' } })).json()) as { logid: string };
    await h.waitStatus(org, placed.logid, 'bridged');
    h.control.stop(); // the old process is gone
    const bus = createCallEventBus();
    const events: string[] = [];
    bus.subscribe((e) => void events.push(`${e.type} ${e.callId}`));
    const fresh = createCallControl({ db: h.api.deps.adb, logger: silentLogger(), bus, switches: oneSwitch(h.client), gateway: 'pstn', ringTimeoutS: 2, recordingsDir: null });
    fresh.start();
    const deadline = Date.now() + 2_000;
    while ((await callRow('lost')).status !== 'failed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(await callRow('lost')).toMatchObject({ status: 'failed', hangupCause: 'INTERRUPTED' });
    expect((await callRow(placed.logid)).status).toBe('bridged');
    expect(originates(h)).toBe(1);
    // The adopted call is still followed: hanging it up ends it through the new control.
    await fresh.hangup(org.orgId, placed.logid);
    const end = Date.now() + 2_000;
    // The lost call's own call.hangup came earlier: wait for the adopted one's.
    while (!events.includes(`call.hangup ${placed.logid}`) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect((await callRow(placed.logid)).status).toBe('ended');
    fresh.stop();
  });

  it('expires masking sessions (hangs up, forgets the pair)', async () => {
    h = await createCallHarness();
    const org = await h.org();
    const s = (await (await h.api.call('POST', '/api/v1/masking-sessions', { token: org.token, body: { first_phone: '9944421125', second_phone: '9944421126', did: org.did, duration_minutes: 1 } })).json()) as { id: string; logid: string };
    await h.waitStatus(org, s.logid, 'bridged');
    const sched = createCallScheduler({ db: h.api.deps.adb, logger: silentLogger(), calls: h.control, pollMs: 10, now: () => Date.now() + 120_000 });
    await sched.runOnce();
    await h.waitStatus(org, s.logid, 'ended');
    const { maskingSessions } = h.api.deps.adb.t;
    expect((await h.api.deps.adb.select().from(maskingSessions).where(eq(maskingSessions.id, s.id)))[0]).toMatchObject({ status: 'expired', firstPhone: null });
  });

  it('keeps due calls while the switch is down; fails them once too late', async () => {
    h = await createCallHarness({}, { connect: false });
    const org = await h.org();
    const res = await h.api.call('POST', '/api/v1/calls/two-party', { token: org.token, body: { did: org.did, first_phone: '9944421125', second_phone: '9944421126', schedule_datetime: '2099-01-01T00:00:00Z' } });
    const { logid } = (await res.json()) as { logid: string };
    let clock = Date.parse('2099-01-01T00:01:00Z');
    const sched = createCallScheduler({ db: h.api.deps.adb, logger: silentLogger(), calls: h.control, pollMs: 10, maxLateMs: 5 * 60_000, now: () => clock });
    await sched.runOnce();
    await h.waitStatus(org, logid, 'scheduled');
    clock += 10 * 60_000;
    await sched.runOnce();
    expect((await h.waitStatus(org, logid, 'failed')).hangup_cause).toBe('SWITCH_UNAVAILABLE');
  });

  it('parses local times in a zone (DST aware) and ISO with offsets', () => {
    expect(new Date(parseScheduleTime('2026-05-01 10:30', 'Asia/Kolkata')!).toISOString()).toBe('2026-05-01T05:00:00.000Z');
    expect(new Date(parseScheduleTime('2026-07-01 09:00', 'America/New_York')!).toISOString()).toBe('2026-07-01T13:00:00.000Z');
    expect(new Date(parseScheduleTime('2026-01-01 09:00', 'America/New_York')!).toISOString()).toBe('2026-01-01T14:00:00.000Z');
    expect(parseScheduleTime('2026-05-01T10:30:00+05:30')).toBe(Date.parse('2026-05-01T05:00:00Z'));
    expect(parseScheduleTime('tomorrow')).toBeNull();
  });
});
