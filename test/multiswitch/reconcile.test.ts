// Restart reconciliation with two switches: each connected switch is asked (its channels, its
// controller_unavailable records); a row is closed only when every switch that may have its channel has
// been asked and none has it; a row whose switch is down waits for it, or until it is older than a call
// may last.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { openTestApi } from '../helpers/api.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { createCallEventBus, type CallEvent } from '../../src/domain/call-events.ts';
import { createCallRegistry } from '../../src/call/registry.ts';
import { createReconciler, type SweepReason, type SweepResult } from '../../src/switch/reconcile.ts';
import { createReconcileStore, type ReconcileStore } from '../../src/switch/reconcile-store.ts';
import { createSwitches } from '../../src/switch/switches.ts';
import { InboundEmulator } from '../emulator/inbound-server.ts';
import { testClient } from '../helpers/switches.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const NOW = Date.parse('2026-12-05T12:00:00.000Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
const DID = '+918065978001';

async function emulated(channels: Set<string>, port = 0) {
  const emu = new InboundEmulator({ channels: () => channels, identity: { coreUuid: randomUUID(), switchname: 'fs' }, port });
  await emu.listen();
  cleanups.push(() => emu.close());
  return emu;
}

/** `wrapStore` lets a test hold the reconciler inside a sweep. */
async function setup(wrapStore: (s: ReconcileStore) => ReconcileStore = (s) => s) {
  const api = await openTestApi();
  cleanups.push(() => api.close());
  const db = api.deps.adb;
  const { callLogs } = db.t;
  const onA = new Set<string>();
  const onB = new Set<string>();
  const emus = { a: await emulated(onA), b: await emulated(onB) };
  const switches = createSwitches([{ id: 'a', client: testClient(emus.a.port) }, { id: 'b', client: testClient(emus.b.port) }], { logger: silentLogger() });
  cleanups.push(() => switches.close());
  const events: CallEvent[] = [];
  const bus = createCallEventBus();
  bus.subscribe((e) => events.push(e));
  const sweeps: Array<{ reason: SweepReason; result: SweepResult }> = [];
  const reconciler = createReconciler({
    store: wrapStore(createReconcileStore(db)), switches, registry: createCallRegistry(), bus,
    snapshots: { lookupDid: () => null }, logger: silentLogger(), now: () => new Date(NOW),
    settings: { intervalMs: 0, settleMs: 0, defaultCountryCode: '91' },
    onSweep: (reason, result) => sweeps.push({ reason, result }),
  });
  cleanups.push(() => reconciler.stop());
  switches.start();
  await expect.poll(() => switches.list.every((l) => l.connected), { timeout: 2_000 }).toBe(true);
  const insert = async (switchId: string | null, startedAt = ago(40), uuid = randomUUID()) => {
    const id = randomUUID();
    await db.insert(callLogs).values({
      id, callUuid: uuid, switchId, orgId: 'org-1', direction: 'inbound', did: DID, caller: '+919800000001', startedAt, path: [], dtmf: '', createdAt: startedAt,
    });
    return { id, uuid };
  };
  /** Each row's disposition, in order. */
  const outcomes = (rows: Array<{ id: string }>) =>
    Promise.all(rows.map(async (r) => (await db.select({ d: callLogs.disposition }).from(callLogs).where(eq(callLogs.id, r.id)))[0]!.d));
  const listings = (emu: InboundEmulator) => emu.commandLog.filter((c) => c === 'api show channels as delim |').length;
  return { db, emus, onA, onB, switches, reconciler, events, sweeps, insert, outcomes, listings };
}

const record = `v1|${(NOW - 20_000) * 1000}|0|${(NOW - 17_000) * 1000}|NORMAL_TEMPORARY_FAILURE|918065978001|sipp`;

describe('reconciliation with several switches', () => {
  it('asks every switch; closes a row when none of the switches that may have its channel still has it', async () => {
    const t = await setup();
    const goneA = await t.insert('a');
    const liveB = await t.insert('b');
    const goneB = await t.insert('b');
    const unknownLive = await t.insert(null);
    const unknownGone = await t.insert(null);
    t.onB.add(liveB.uuid);
    t.onA.add(unknownLive.uuid);
    // Each switch's own controller_unavailable records.
    const [ra, rb] = [randomUUID(), randomUUID()];
    t.emus.a.db.set('switchboard_unseen', new Map([[ra, record]]));
    t.emus.b.db.set('switchboard_unseen', new Map([[rb, record]]));

    expect(await t.reconciler.sweep('connect')).toEqual({ ran: true, closed: 3, inserted: 2, leftOpen: 2, waiting: 0, unstuck: 0 });
    expect(await t.outcomes([goneA, goneB, unknownGone])).toEqual(['controller_lost', 'controller_lost', 'controller_lost']);
    expect(await t.outcomes([liveB, unknownLive])).toEqual([null, null]);
    expect([t.listings(t.emus.a), t.listings(t.emus.b)]).toEqual([1, 1]);
    const { callLogs } = t.db.t;
    const unseen = await t.db.select({ callUuid: callLogs.callUuid, switchId: callLogs.switchId }).from(callLogs)
      .where(eq(callLogs.disposition, 'controller_unavailable')).orderBy(asc(callLogs.switchId));
    expect(unseen).toEqual([{ callUuid: ra, switchId: 'a' }, { callUuid: rb, switchId: 'b' }]);
    expect(t.events.filter((e) => e.type === 'call.hangup')).toHaveLength(5);
  });

  it('a row whose switch is down waits for it (as does one of unknown switch), unless older than a call may last; the switch back, it is closed', async () => {
    const t = await setup();
    const youngB = await t.insert('b');
    const oldB = await t.insert('b', ago(5 * 3600));
    const unknown = await t.insert(null);
    const goneA = await t.insert('a');
    const port = t.emus.b.port;
    await t.emus.b.close();
    await expect.poll(() => t.switches.get('b')!.connected, { timeout: 2_000 }).toBe(false);

    expect(await t.reconciler.sweep('periodic')).toEqual({ ran: true, closed: 2, inserted: 0, leftOpen: 0, waiting: 2, unstuck: 0 });
    expect(await t.outcomes([goneA, oldB])).toEqual(['controller_lost', 'controller_lost']);
    expect(await t.outcomes([youngB, unknown])).toEqual([null, null]);

    // b comes back (a restarted FreeSWITCH: no channels): its reconnect sweeps, and the waiting rows close.
    t.reconciler.start();
    const again = await emulated(new Set(), port);
    await expect.poll(() => t.sweeps.some((s) => s.result.closed === 2), { timeout: 3_000 }).toBe(true);
    expect(await t.outcomes([youngB, unknown])).toEqual(['controller_lost', 'controller_lost']);
    expect(t.listings(again)).toBeGreaterThan(0);
  });

  it('a switch that reconnects while a sweep runs gets a sweep of its own right after it, not that sweep\'s result', async () => {
    let hold: Promise<void> | null = null;
    let release = () => {};
    const t = await setup((store) => ({
      ...store,
      claimLease: async (...args) => {
        if (hold) await hold;
        return store.claimLease(...args);
      },
    }));
    const youngB = await t.insert('b');
    const port = t.emus.b.port;
    await t.emus.b.close();
    await expect.poll(() => t.switches.get('b')!.connected, { timeout: 2_000 }).toBe(false);

    hold = new Promise((resolve) => (release = resolve));
    const first = t.reconciler.sweep('connect'); // began with a alone
    await emulated(new Set(), port);
    await expect.poll(() => t.switches.get('b')!.connected, { timeout: 2_000 }).toBe(true);
    const second = t.reconciler.sweep('connect');
    const third = t.reconciler.sweep('connect');
    hold = null;
    release();
    expect(await first).toMatchObject({ ran: true, closed: 0, waiting: 1 });
    expect(await second).toMatchObject({ ran: true, closed: 1, waiting: 0 });
    expect(third).toBe(second); // requests meanwhile share the one queued sweep
    expect(await t.outcomes([youngB])).toEqual(['controller_lost']);
  });
});
