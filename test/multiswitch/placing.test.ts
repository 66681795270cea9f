// One controller, two switches: placed calls spread over the switches by the policy and skip one that is
// down; each call remembers its switch, and every later command for it (hangup, recovery after a restart)
// goes to that switch only. Inbound calls are logged with the switch that handed them over.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startCluster, type Cluster, type EmulatedSwitch } from './harness.ts';
import { storedCallLog } from '../bot/helpers.ts';

let c: Cluster | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

const aLeg = async (cl: Cluster, id: string): Promise<string> => {
  const db = cl.h.api.deps.adb;
  const [row] = await db.select().from(db.t.outboundCalls).where(eq(db.t.outboundCalls.id, id));
  return row!.aLegUuid;
};
/** The switch each placed call's row remembers, in order. */
const placedOn = async (cl: Cluster, ids: string[]): Promise<Array<string | null>> =>
  Promise.all(ids.map(async (id) => (await cl.storedSwitch(id)).placed));
const kills = (s: EmulatedSwitch): string[] => s.emu.commandLog.filter((l) => l.startsWith('api uuid_kill'));
const asked = (s: EmulatedSwitch, what: string): string[] => s.emu.commandLog.filter((l) => l.startsWith(`api ${what}`));
const down = async (cl: Cluster, s: EmulatedSwitch): Promise<void> => {
  await s.emu.close();
  await expect.poll(() => cl.switches.get(s.id)!.connected, { timeout: 2_000 }).toBe(false);
};
const hangup = (cl: Cluster, id: string) => cl.h.api.call('POST', `/api/v1/calls/${id}/hangup`, { token: cl.h.org.token });

describe('placing calls on several switches', () => {
  it('round_robin spreads calls over both switches; each call\'s row and call log remember its switch', async () => {
    c = await startCluster({ policy: 'round_robin' });
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await c.placeTwoParty());
    expect(c.a.originates()).toHaveLength(2);
    expect(c.b.originates()).toHaveLength(2);
    for (const id of ids) {
      const on = c.a.originates().some((l) => l.includes(`sb_call_id=${id}`)) ? 'a' : 'b';
      expect(await c.storedSwitch(id)).toEqual({ placed: on, log: on });
    }
    expect(await placedOn(c, ids)).toEqual(['a', 'b', 'a', 'b']);
    for (const id of ids) expect((await hangup(c, id)).status).toBe(200);
  });

  it('least_calls sends a call to the switch with the fewest calls; ties in turn', async () => {
    c = await startCluster({ policy: 'least_calls' });
    const first = [await c.placeTwoParty(), await c.placeTwoParty(), await c.placeTwoParty()];
    expect(await placedOn(c, first)).toEqual(['a', 'b', 'a']);
    // Switch a's two calls end: a has none, b has one.
    for (const id of [first[0]!, first[2]!]) {
      expect((await hangup(c, id)).status).toBe(200);
      await c.waitStatus(id, 'ended');
    }
    const next = [await c.placeTwoParty(), await c.placeTwoParty()];
    expect(await placedOn(c, next)).toEqual(['a', 'b']);
  });

  it('a switch that is down is skipped; with none connected placing a call is a 503 and nothing is stored', async () => {
    c = await startCluster({ policy: 'round_robin' });
    await down(c, c.b);
    const before = c.b.originates().length;
    const ids = [await c.placeTwoParty(), await c.placeTwoParty(), await c.placeTwoParty()];
    expect(await placedOn(c, ids)).toEqual(['a', 'a', 'a']);
    expect(c.b.originates()).toHaveLength(before);
    await down(c, c.a);
    // The API logs a 503 at error level.
    c.h.expectLoggedError(/FreeSWITCH is not connected/);
    c.h.expectLoggedError(/request failed/);
    const res = await c.h.api.call('POST', '/api/v1/calls/two-party', { token: c.h.org.token, body: { did: '+918065978001', first_phone: '9944421125', second_phone: '9944421126' } });
    expect(res.status).toBe(503);
    expect(await c.h.api.deps.adb.select().from(c.h.api.deps.adb.t.outboundCalls)).toHaveLength(3);
  });
});

describe('click-to-call on several switches', () => {
  it('rings the agent from the switch their phone is registered on; registered nowhere, by the policy', async () => {
    c = await startCluster({ policy: 'round_robin' });
    await c.h.req('POST', '/api/v1/extensions', { number: '1001', name: 'Asha' });
    c.b.registered.add(`1001@${c.h.org.sipDomain}`);
    const c2c = async () => (await c!.h.req<{ logid: string }>('POST', '/api/v1/calls/click-to-call', { did: '+918065978001', ext_no: '1001', phone: '9944421125' })).logid;
    const first = await c2c();
    const second = await c2c();
    expect(await placedOn(c, [first, second])).toEqual(['b', 'b']);
    expect(c.a.emu.commandLog).toContain(`api sofia_contact extensions/1001@${c.h.org.sipDomain}`);
    c.b.registered.clear();
    const third = await c2c();
    const fourth = await c2c();
    expect(await placedOn(c, [third, fourth])).toEqual(['a', 'b']);
    for (const id of [first, second, third, fourth]) await c.waitStatus(id, 'bridged');
  });
});

describe('commands go to the call\'s switch', () => {
  it('a hangup through the API of a call on switch b is sent to b only', async () => {
    c = await startCluster({ policy: 'round_robin' });
    const onA = await c.placeTwoParty();
    const onB = await c.placeTwoParty();
    expect((await hangup(c, onB)).status).toBe(200);
    expect(kills(c.b)).toEqual([`api uuid_kill ${await aLeg(c, onB)} NORMAL_CLEARING`]);
    expect(kills(c.a)).toEqual([]);
    expect(await c.waitStatus(onB, 'ended')).toMatchObject({ hangup_cause: 'NORMAL_CLEARING' });
    expect(await c.waitStatus(onA, 'bridged')).toBeDefined();
  });

  it('the call\'s switch is down: the hangup is a 503 naming it, and the other switch is not asked', async () => {
    c = await startCluster({ policy: 'round_robin' });
    await c.placeTwoParty();
    const onB = await c.placeTwoParty();
    await down(c, c.b);
    c.h.expectLoggedError(/switch b is not connected/);
    c.h.expectLoggedError(/request failed/);
    const res = await hangup(c, onB);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toContain('switch b is not connected');
    expect(kills(c.a)).toEqual([]);
  });

  it('an inbound call\'s hangup goes to the switch in its call log; a call of unknown switch asks each', async () => {
    c = await startCluster();
    const insert = async (switchId: string | null) => {
      const id = randomUUID();
      const uuid = randomUUID();
      const db = c!.h.api.deps.adb;
      await db.insert(db.t.callLogs).values({ id, callUuid: uuid, switchId, orgId: c!.h.org.orgId, startedAt: new Date().toISOString(), path: [] });
      return { id, uuid };
    };
    const onB = await insert('b');
    // The switch has no such channel any more: the call has ended (409), asked of b only.
    expect((await hangup(c, onB.id)).status).toBe(409);
    expect(kills(c.b)).toEqual([`api uuid_kill ${onB.uuid} NORMAL_CLEARING`]);
    expect(kills(c.a)).toEqual([]);
    const unknown = await insert(null);
    expect((await hangup(c, unknown.id)).status).toBe(409);
    expect(kills(c.a)).toEqual([`api uuid_kill ${unknown.uuid} NORMAL_CLEARING`]);
    expect(kills(c.b)).toHaveLength(2);
  });
});

describe('inbound calls', () => {
  it('each call is logged with the switch that handed it over (its Core-UUID); an unknown switch is null', async () => {
    c = await startCluster();
    const call = (identity?: { coreUuid: string; switchname: string }) =>
      c!.h.emu.placeCall({ destination: '918065978999', callerIdNumber: '9800000001', ...(identity ? { switchIdentity: identity } : {}) });
    const fromA = call(c.a.identity);
    const fromB = call(c.b.identity);
    const fromElsewhere = call({ coreUuid: randomUUID(), switchname: 'fs-z' });
    await Promise.all([fromA.done, fromB.done, fromElsewhere.done]);
    await c.h.settle();
    const logOf = (uuid: string) => storedCallLog(c!.h.api.deps.adb, uuid);
    expect((await logOf(fromA.uuid)).switchId).toBe('a');
    expect((await logOf(fromB.uuid)).switchId).toBe('b');
    expect((await logOf(fromElsewhere.uuid)).switchId).toBeNull();
  });
});

describe('recovery after a restart', () => {
  it('asks only the call\'s switch; a call on a switch that is down waits for it, then is ended when it comes back without the channel', async () => {
    c = await startCluster({ policy: 'round_robin' });
    const onA = await c.placeTwoParty();
    const onB = await c.placeTwoParty();
    c.control.stop(); // the old process is gone
    await down(c, c.b);
    const fresh = c.newControl();
    c.h.api.deps.calls = fresh;
    fresh.start();
    const legOnA = await aLeg(c, onA);
    await expect.poll(() => asked(c!.a, 'uuid_exists'), { timeout: 2_000 }).toEqual([`api uuid_exists ${legOnA}`]);
    // b's call waits for b (nobody else may have its channel).
    await new Promise((r) => setTimeout(r, 50));
    expect(await c.waitStatus(onB, 'bridged')).toBeDefined();
    // b comes back: restarted, the channel is gone; it is ended, asked of b.
    await c.restart(c.b);
    expect(await c.waitStatus(onB, 'ended')).toMatchObject({ hangup_cause: 'LOST_TRACK' });
    expect(asked(c.b, 'uuid_exists')).toEqual([`api uuid_exists ${await aLeg(c, onB)}`]);
    expect(asked(c.a, 'uuid_exists')).toHaveLength(1);
    // The call on a is followed by the new control: its hangup works.
    expect((await hangup(c, onA)).status).toBe(200);
    await c.waitStatus(onA, 'ended');
  });

  it('a call whose switch stays away longer than a call may last is ended (SWITCH_LOST)', async () => {
    c = await startCluster({ policy: 'round_robin' });
    await c.placeTwoParty();
    const onB = await c.placeTwoParty();
    c.control.stop();
    await down(c, c.b);
    const fresh = c.newControl({ switchDownMs: 1, expireEveryMs: 20 });
    fresh.start();
    expect(await c.waitStatus(onB, 'ended')).toMatchObject({ hangup_cause: 'SWITCH_LOST' });
    // call.hangup is emitted once the row is written.
    await expect.poll(() => c!.h.events.some((e) => e.type === 'call.hangup' && e.callId === onB), { timeout: 2_000 }).toBe(true);
  });
});
