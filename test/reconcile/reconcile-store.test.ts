/**
 * The reconcile store (src/switch/reconcile-store.ts) on SQLite and, in the pg project, on PostgreSQL: open rows by
 * insertion range, guarded closes and inserts (each row written once), and the lease (one holder; a periodic sweep
 * at most once per gap), also when claimed at once. The sweeps themselves: reconcile.test.ts (SQLite, emulator).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { createReconcileStore, type ReconcileStore } from '../../src/switch/reconcile-store.ts';

let api: AsyncTestApi;
let store: ReconcileStore;
beforeEach(async () => {
  api = await openTestApi();
  store = createReconcileStore(api.deps.adb);
});
afterEach(() => api.close());

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

async function insertRow(r: { uuid?: string; startedAt?: string; endedAt?: string | null } = {}) {
  const { adb } = api.deps;
  const id = randomUUID();
  const uuid = r.uuid ?? randomUUID();
  await adb.insert(adb.t.callLogs).values({
    id, callUuid: uuid, orgId: null, direction: 'inbound', did: '+918065978001', caller: '+919800000001',
    startedAt: r.startedAt ?? at(0), endedAt: r.endedAt ?? null, path: [], dtmf: '', createdAt: r.startedAt ?? at(0),
  });
  return { id, uuid };
}

const rowOf = async (id: string) => {
  const { adb } = api.deps;
  const [row] = await adb.select().from(adb.t.callLogs).where(eq(adb.t.callLogs.id, id));
  return row;
};

describe('reconcile store', () => {
  it('finds open rows by insertion range, by id and by uuid; closes each once', async () => {
    expect(await store.maxRowid()).toBe(0);
    const a = await insertRow();
    await insertRow({ endedAt: at(5) });
    const c = await insertRow();
    const top = await store.maxRowid();
    expect(top).toBeGreaterThan(0);
    const open = await store.openInRange(0, top);
    expect(open.map((r) => r.id)).toEqual([a.id, c.id]);
    expect(open[0]).toMatchObject({ id: a.id, callUuid: a.uuid, switchId: null, orgId: null, startedAt: at(0) });
    expect(typeof open[0]!.rowid).toBe('number');
    expect(await store.openInRange(open[0]!.rowid, top)).toHaveLength(1);
    expect((await store.stillOpen([c.id, a.id])).map((r) => r.id)).toEqual([c.id, a.id]);
    expect(await store.stillOpen([])).toEqual([]);
    if (store.openAll) expect((await store.openAll()).map((r) => r.id)).toEqual([a.id, c.id]);
    expect((await store.openByUuid(a.uuid)).map((r) => r.id)).toEqual([a.id]);
    expect(await store.hasCall(a.uuid)).toBe(true);
    expect(await store.hasCall(randomUUID())).toBe(false);

    const close = { endedAt: at(30), hangupCause: 'NORMAL_CLEARING', answeredAt: at(2) };
    expect(await Promise.all([store.closeLost(open[0]!, close), store.closeLost(open[0]!, close)])).toEqual([true, false]);
    expect(await rowOf(a.id)).toMatchObject({ endedAt: at(30), durationS: 30, answeredAt: at(2), disposition: 'controller_lost', hangupCause: 'NORMAL_CLEARING' });
    expect((await store.stillOpen([a.id, c.id])).map((r) => r.id)).toEqual([c.id]);
  });

  it('writes the call log of an unseen call once, even when two writers race', async () => {
    const uuid = randomUUID();
    const unseen = { id: randomUUID(), callUuid: uuid, switchId: 'fs1', orgId: null, did: '+918065978001', caller: 'x', startedAt: at(0), endedAt: at(3), hangupCause: 'NORMAL_TEMPORARY_FAILURE' };
    const results = await Promise.all([store.insertUnseen(unseen), store.insertUnseen({ ...unseen, id: randomUUID() })]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const { adb } = api.deps;
    const rows = await adb.select().from(adb.t.callLogs).where(eq(adb.t.callLogs.callUuid, uuid));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      callUuid: uuid, switchId: 'fs1', direction: 'inbound', durationS: 3, path: [], dtmf: '', disposition: 'controller_unavailable',
      hangupCause: 'NORMAL_TEMPORARY_FAILURE', createdAt: at(0), endedAt: at(3),
    });
    expect(await store.hasCall(uuid)).toBe(true);
    expect(await store.insertUnseen({ ...unseen, id: randomUUID() })).toBe(false);
  });

  it('the lease: one holder until it ends or is released; a periodic claim waits for the gap', async () => {
    expect(await store.claimLease('a', T0, 60_000, 0)).toBe(true);
    expect(await store.claimLease('b', T0 + 1_000, 60_000, 0)).toBe(false);
    expect(await store.claimLease('a', T0 + 1_000, 60_000, 0)).toBe(true);
    await store.releaseLease('b', T0 + 2_000); // not b's: nothing changes
    expect(await store.claimLease('b', T0 + 2_000, 60_000, 0)).toBe(false);
    await store.releaseLease('a', T0 + 2_000);
    expect(await store.claimLease('b', T0 + 3_000, 60_000, 54_000)).toBe(false);
    expect(await store.claimLease('b', T0 + 3_000, 60_000, 0)).toBe(true);
    // After the holder's lease ran out anyone may take it.
    expect(await store.claimLease('c', T0 + 64_000, 60_000, 0)).toBe(true);
  });

  it('claims at once (a fresh database, no lease row yet): exactly one wins', async () => {
    const stores = [store, createReconcileStore(api.deps.adb), createReconcileStore(api.deps.adb), createReconcileStore(api.deps.adb)];
    const won = await Promise.all(stores.map((s, i) => s.claimLease(`instance-${i}`, T0, 60_000, 0)));
    expect(won.filter(Boolean)).toHaveLength(1);
  });
});
