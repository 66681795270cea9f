/**
 * Restart reconciliation against the emulator's inbound side (real ESL bytes, the replies captured from
 * FreeSWITCH 1.10.12 for uuid_exists, `show channels as delim |` and mod_db's `db list|select|delete`),
 * over a fresh test database per test (SQLite, or PostgreSQL in the pg project).
 */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../src/db/sqlite.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import type { Db } from '../../src/db/handle.ts';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { createCallEventBus, type CallEvent } from '../../src/domain/call-events.ts';
import { createCallRegistry } from '../../src/call/registry.ts';
import { InboundClient } from '../../src/esl/inbound-client.ts';
import { createReconciler, type ReconcilerDeps, type ReconcileSettings, type SweepReason, type SweepResult } from '../../src/switch/reconcile.ts';
import { createReconcileStore } from '../../src/switch/reconcile-store.ts';
import { createWebhookOutbox } from '../../src/services/webhooks/outbox.ts';
import { testSnapshot } from '../helpers/snapshot.ts';
import { oneSwitch } from '../helpers/switches.ts';
import { InboundEmulator, type EmulatedChannel } from '../emulator/inbound-server.ts';
import type { SnapshotDid } from '../../src/publish/snapshot.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const NOW = Date.parse('2026-12-05T12:00:00.000Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
const DID = '+918065978001';

/** The sweeps a reconciler reports, awaited one reason at a time (no sleeps). */
function sweepLog() {
  const done: Array<{ reason: SweepReason; result: SweepResult }> = [];
  const waiters: Array<{ reason: SweepReason; resolve: (r: SweepResult) => void }> = [];
  let taken = 0;
  const take = (reason: SweepReason): SweepResult | undefined => {
    const i = done.findIndex((d, at) => at >= taken && d.reason === reason);
    if (i === -1) return undefined;
    taken = i + 1;
    return done[i]!.result;
  };
  return {
    record: (reason: SweepReason, result: SweepResult) => {
      done.push({ reason, result });
      const w = waiters.findIndex((x) => x.reason === reason);
      if (w !== -1) {
        const [waiter] = waiters.splice(w, 1);
        waiter!.resolve(take(reason)!);
      }
    },
    next: (reason: SweepReason): Promise<SweepResult> => {
      const got = take(reason);
      return got ? Promise.resolve(got) : new Promise((resolve) => waiters.push({ reason, resolve }));
    },
  };
}

/** A second instance's own handle on the test's database (its own connection or pool). */
async function secondHandle(api: AsyncTestApi): Promise<{ adb: Db; close(): Promise<void> | void }> {
  if (api.dialect === 'sqlite') {
    const database = openDatabase(join(api.dataDir, 'test.db'));
    return { adb: database.adb, close: () => database.close() };
  }
  return openPostgres(api.config.DATABASE_URL, { max: 4, migrate: false });
}

async function setup(opts: { channels?: Array<string | EmulatedChannel>; settings?: Partial<ReconcileSettings>; onSweep?: ReconcilerDeps['onSweep'] } = {}) {
  const api = await openTestApi();
  const db = api.deps.adb;
  const { callLogs } = db.t;
  const channels = new Set(opts.channels ?? []);
  const emu = new InboundEmulator({ channels: () => channels });
  const port = await emu.listen();
  const client = new InboundClient({ port, password: 'ClueCon', logger: silentLogger(), commandTimeoutMs: 1_000, reconnect: { initialDelayMs: 10, maxDelayMs: 40 } });
  const registry = createCallRegistry();
  const bus = createCallEventBus();
  const events: CallEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const snapshot = testSnapshot({ orgId: 'org-1' });
  const reconciler = createReconciler({
    store: createReconcileStore(db),
    switches: oneSwitch(client),
    registry,
    bus,
    snapshots: { lookupDid: (n) => (n === DID ? { orgId: 'org-1', snapshot, did: {} as SnapshotDid } : null) },
    logger: silentLogger(),
    now: () => new Date(NOW),
    settings: { intervalMs: 0, settleMs: 0, defaultCountryCode: '91', ...opts.settings },
    ...(opts.onSweep ? { onSweep: opts.onSweep } : {}),
  });
  cleanups.push(() => api.close());
  cleanups.push(() => emu.close());
  cleanups.push(() => client.close());
  cleanups.push(() => reconciler.stop());
  client.start();
  await client.waitConnected({ timeoutMs: 1_000 });
  const insertRow = async (r: { id?: string; uuid: string; startedAt: string; endedAt?: string | null; orgId?: string | null }) => {
    const id = r.id ?? randomUUID();
    await db.insert(callLogs).values({
      id, callUuid: r.uuid, orgId: r.orgId === undefined ? 'org-1' : r.orgId, direction: 'inbound', did: DID, caller: '+919800000001',
      startedAt: r.startedAt, endedAt: r.endedAt ?? null, path: [], dtmf: '', createdAt: r.startedAt,
    });
    return id;
  };
  const row = async (id: string) => {
    const [found] = await db.select({
      id: callLogs.id, callUuid: callLogs.callUuid, orgId: callLogs.orgId, startedAt: callLogs.startedAt, answeredAt: callLogs.answeredAt,
      endedAt: callLogs.endedAt, durationS: callLogs.durationS, disposition: callLogs.disposition, hangupCause: callLogs.hangupCause,
      direction: callLogs.direction, did: callLogs.did, caller: callLogs.caller,
    }).from(callLogs).where(eq(callLogs.id, id));
    return found!;
  };
  const rowsOf = (uuid: string) => db.select().from(callLogs).where(eq(callLogs.callUuid, uuid));
  return { api, db, emu, client, registry, events, reconciler, channels, insertRow, row, rowsOf };
}

const record = (o: { start: string; end: string; answered?: string | null; cause?: string; did?: string; caller?: string }) =>
  `v1|${Date.parse(o.start) * 1000}|${o.answered ? Date.parse(o.answered) * 1000 : 0}|${Date.parse(o.end) * 1000}|${o.cause ?? 'NORMAL_TEMPORARY_FAILURE'}|${o.did ?? '918065978001'}|${o.caller ?? 'sipp'}`;

describe('restart reconciliation: rows a dead controller left open', () => {
  it('closes rows whose channel is gone as controller_lost and announces call.hangup; leaves live channels, this instance\'s calls and young rows', async () => {
    const gone = randomUUID();
    const live = randomUUID();
    const mine = randomUUID();
    const young = randomUUID();
    const t = await setup({ channels: [live, mine] });
    const goneId = await t.insertRow({ uuid: gone, startedAt: ago(40) });
    const liveId = await t.insertRow({ uuid: live, startedAt: ago(40) });
    const mineId = await t.insertRow({ uuid: mine, startedAt: ago(40) });
    const youngId = await t.insertRow({ uuid: young, startedAt: ago(3) });
    const endedId = await t.insertRow({ uuid: randomUUID(), startedAt: ago(90), endedAt: ago(80) });
    t.registry.add({ callId: mineId, uuid: mine, orgId: 'org-1', startedAt: NOW - 40_000, state: 'ivr' });

    const result = await t.reconciler.sweep('connect');
    expect(result).toEqual({ ran: true, closed: 1, inserted: 0, leftOpen: 1, waiting: 0, unstuck: 0 });

    expect(await t.row(goneId)).toMatchObject({ endedAt: new Date(NOW).toISOString(), durationS: 40, disposition: 'controller_lost', hangupCause: null });
    for (const id of [liveId, mineId, youngId]) expect(await t.row(id)).toMatchObject({ endedAt: null, disposition: null });
    expect(await t.row(endedId)).toMatchObject({ endedAt: ago(80), disposition: null });
    expect(t.events).toEqual([{ type: 'call.hangup', callId: goneId, orgId: 'org-1', cause: null, disposition: 'controller_lost', at: new Date(NOW).toISOString() }]);
    // One listing answered for every candidate.
    expect(t.emu.commandLog.filter((c) => c.startsWith('api ') && !c.startsWith('api db ') && c !== 'api global_getvar core_uuid')).toEqual(['api show channels as delim |']);

    // The live channel ends: the next sweep closes it; nothing is announced twice.
    t.channels.delete(live);
    expect(await t.reconciler.sweep('periodic')).toMatchObject({ ran: true, closed: 1 });
    expect(await t.row(liveId)).toMatchObject({ disposition: 'controller_lost' });
    expect(t.events.map((e) => e.callId)).toEqual([goneId, liveId]);
    expect(await t.reconciler.sweep('connect')).toMatchObject({ closed: 0 });
    expect(t.events).toHaveLength(2);
  });

  it('asks about many candidates with one `show channels as delim |`, never one command each', async () => {
    const uuids = Array.from({ length: 30 }, () => randomUUID());
    const t = await setup({ channels: uuids.slice(0, 10) });
    for (const u of uuids) await t.insertRow({ uuid: u, startedAt: ago(60) });
    expect(await t.reconciler.sweep('connect')).toEqual({ ran: true, closed: 20, inserted: 0, leftOpen: 10, waiting: 0, unstuck: 0 });
    expect(t.emu.commandLog.filter((c) => c.startsWith('api show channels'))).toEqual(['api show channels as delim |']);
    expect(t.emu.commandLog.some((c) => c.startsWith('api uuid_exists'))).toBe(false);
  });

  it('sends a call parked in the socket app with no call log anywhere to controller_unavailable', async () => {
    const stuck = randomUUID();
    const logged = randomUUID();
    const fresh = randomUUID();
    const epoch = (s: number) => Math.floor((NOW - s * 1000) / 1000);
    const t = await setup({
      channels: [
        { uuid: stuck, inSocketApp: true, createdEpochS: epoch(30) },
        { uuid: logged, inSocketApp: true, createdEpochS: epoch(30) },
        { uuid: fresh, inSocketApp: true, createdEpochS: epoch(2) },
      ],
    });
    await t.insertRow({ uuid: logged, startedAt: ago(30) });
    expect(await t.reconciler.sweep('connect')).toMatchObject({ unstuck: 1, leftOpen: 1 });
    expect(t.emu.commandLog.filter((c) => c.startsWith('api uuid_transfer'))).toEqual([`api uuid_transfer ${stuck} controller_unavailable XML public`]);
  });

  it('finds open rows across the whole table in rowid chunks, then only the rows added since', async () => {
    const t = await setup({ settings: { scanChunk: 7 } });
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(await t.insertRow({ uuid: randomUUID(), startedAt: ago(100 + i), endedAt: i % 4 === 0 ? null : ago(50) }));
    expect(await t.reconciler.sweep('connect')).toMatchObject({ closed: 10 });
    const later = await t.insertRow({ uuid: randomUUID(), startedAt: ago(30) });
    expect(await t.reconciler.sweep('connect')).toMatchObject({ closed: 1 });
    expect(await t.row(later)).toMatchObject({ disposition: 'controller_lost' });
  });

  it('does nothing while another instance holds the lease, and sweeps periodically at most once per interval', async () => {
    const t = await setup({ settings: { intervalMs: 60_000 } });
    const id = await t.insertRow({ uuid: randomUUID(), startedAt: ago(40) });
    const store = createReconcileStore(t.db);
    expect(await store.claimLease('other-instance', NOW, 60_000, 0)).toBe(true);
    expect(await t.reconciler.sweep('connect')).toMatchObject({ ran: false });
    expect(await t.row(id)).toMatchObject({ endedAt: null });
    await store.releaseLease('other-instance', NOW);
    // The other instance swept just now: a periodic sweep waits for its interval, a reconnect does not.
    expect(await t.reconciler.sweep('periodic')).toMatchObject({ ran: false });
    expect(await t.reconciler.sweep('connect')).toMatchObject({ ran: true, closed: 1 });
  });
});

describe('restart reconciliation: calls FreeSWITCH answered in controller_unavailable', () => {
  it('turns each mod_db record into one call log (controller_unavailable, org by DID) and deletes the record', async () => {
    const t = await setup();
    const a = randomUUID();
    const b = randomUUID();
    const realm = new Map([
      [a, record({ start: ago(20), end: ago(17), caller: 'sipp' })],
      [b, record({ start: ago(15), end: ago(14), did: '5550001', caller: '09812345678', cause: 'ORIGINATOR_CANCEL' })],
    ]);
    t.emu.db.set('switchboard_unseen', realm);

    expect(await t.reconciler.sweep('connect')).toEqual({ ran: true, closed: 0, inserted: 2, leftOpen: 0, waiting: 0, unstuck: 0 });
    expect(await t.rowsOf(a)).toEqual([
      expect.objectContaining({ orgId: 'org-1', direction: 'inbound', did: DID, caller: 'sipp', startedAt: ago(20), endedAt: ago(17), durationS: 3, answeredAt: null, disposition: 'controller_unavailable', hangupCause: 'NORMAL_TEMPORARY_FAILURE' }),
    ]);
    // A number that is not live: no organization; numbers normalized like the runner does.
    expect(await t.rowsOf(b)).toEqual([expect.objectContaining({ orgId: null, did: '+915550001', caller: '+919812345678', hangupCause: 'ORIGINATOR_CANCEL' })]);
    expect(realm.size).toBe(0);
    const rowA = (await t.rowsOf(a))[0]!;
    expect(t.events).toEqual(expect.arrayContaining([
      { type: 'call.hangup', callId: rowA.id, orgId: 'org-1', cause: 'NORMAL_TEMPORARY_FAILURE', disposition: 'controller_unavailable', at: new Date(NOW).toISOString() },
    ]));
    expect(t.events).toHaveLength(2);
  });

  it('writes a record once even when two instances reconcile the same switch and database at the same time', async () => {
    const t = await setup();
    const uuids = Array.from({ length: 25 }, () => randomUUID());
    t.emu.db.set('switchboard_unseen', new Map(uuids.map((u) => [u, record({ start: ago(20), end: ago(17) })])));
    // A second instance: its own connection and database handle, the same database and switch.
    const db2 = await secondHandle(t.api);
    cleanups.push(() => db2.close());
    const client2 = new InboundClient({ port: t.emu.port, password: 'ClueCon', logger: silentLogger(), commandTimeoutMs: 1_000 });
    cleanups.push(() => client2.close());
    client2.start();
    await client2.waitConnected({ timeoutMs: 1_000 });
    const events2: CallEvent[] = [];
    const bus2 = createCallEventBus();
    bus2.subscribe((e) => events2.push(e));
    const other = createReconciler({
      store: createReconcileStore(db2.adb), switches: oneSwitch(client2), registry: createCallRegistry(), bus: bus2,
      snapshots: { lookupDid: () => null }, logger: silentLogger(), now: () => new Date(NOW),
      settings: { intervalMs: 0, settleMs: 0, defaultCountryCode: '91' },
    });
    const [r1, r2] = await Promise.all([t.reconciler.sweep('connect'), other.sweep('connect')]);
    expect(r1.inserted + r2.inserted).toBe(25);
    for (const u of uuids) expect(await t.rowsOf(u)).toHaveLength(1);
    expect(t.events.length + events2.length).toBe(25);

    // Without the lease (both write at once): the guarded insert still writes one row per call.
    const store1 = createReconcileStore(t.db);
    const store2 = createReconcileStore(db2.adb);
    const u = randomUUID();
    const unseen = { id: randomUUID(), callUuid: u, switchId: 'fs1', orgId: null, did: DID, caller: 'x', startedAt: ago(9), endedAt: ago(6), hangupCause: 'NORMAL_TEMPORARY_FAILURE' };
    const wrote = await Promise.all([store1.insertUnseen(unseen), store2.insertUnseen({ ...unseen, id: randomUUID() })]);
    // SQLite's one writer takes them in call order; on PostgreSQL the two pools race, and either may win.
    if (t.api.dialect === 'sqlite') expect(wrote).toEqual([true, false]);
    else expect(wrote.filter(Boolean)).toHaveLength(1);
    expect(await t.rowsOf(u)).toHaveLength(1);
  });

  it('closes the open row of a call whose controller died mid-call with the switch\'s end time and cause', async () => {
    const t = await setup();
    const u = randomUUID();
    const id = await t.insertRow({ uuid: u, startedAt: ago(30) });
    t.emu.db.set('switchboard_unseen', new Map([[u, record({ start: ago(30), answered: ago(29), end: ago(5), cause: 'NORMAL_CLEARING' })]]));
    expect(await t.reconciler.sweep('connect')).toEqual({ ran: true, closed: 1, inserted: 0, leftOpen: 0, waiting: 0, unstuck: 0 });
    expect(await t.rowsOf(u)).toHaveLength(1);
    expect(await t.row(id)).toMatchObject({ endedAt: ago(5), durationS: 25, answeredAt: ago(29), disposition: 'controller_lost', hangupCause: 'NORMAL_CLEARING' });
    expect(t.events).toEqual([expect.objectContaining({ type: 'call.hangup', callId: id, cause: 'NORMAL_CLEARING', disposition: 'controller_lost' })]);
  });

  it('takes more records than one `db list` answer holds (4 KB, ~110 uuids)', async () => {
    const t = await setup();
    const realm = new Map(Array.from({ length: 250 }, () => [randomUUID(), record({ start: ago(20), end: ago(17) })] as [string, string]));
    t.emu.db.set('switchboard_unseen', realm);
    expect(await t.reconciler.sweep('connect')).toMatchObject({ inserted: 250 });
    expect(realm.size).toBe(0);
    expect(t.emu.commandLog.filter((c) => c === 'api db list/switchboard_unseen').length).toBe(4);
  });

  it('the webhook outbox delivers call.hangup with the closed row attached', async () => {
    const t = await setup();
    await t.db.insert(t.db.t.organizations).values({ id: 'org-1', name: 'Acme', sipDomain: 'acme.sip.local' });
    await t.db.insert(t.db.t.webhookEndpoints).values({ orgId: 'org-1', url: 'http://127.0.0.1:9/hook', secret: 's', events: ['call.hangup'] });
    // A fresh bus with the outbox on it, as main.ts wires it.
    const outbox = createWebhookOutbox({ db: t.db, logger: silentLogger(), flushMs: 1 });
    const bus = createCallEventBus();
    outbox.attach(bus);
    const u = randomUUID();
    await t.insertRow({ uuid: u, startedAt: ago(40) });
    const reconciler = createReconciler({
      store: createReconcileStore(t.db), switches: oneSwitch(t.client), registry: createCallRegistry(), bus,
      snapshots: { lookupDid: () => null }, logger: silentLogger(), now: () => new Date(NOW),
      settings: { intervalMs: 0, settleMs: 0, defaultCountryCode: '91' },
    });
    await reconciler.sweep('connect');
    await outbox.flush();
    const deliveries = await t.db.select().from(t.db.t.webhookDeliveries);
    expect(deliveries).toHaveLength(1);
    const body = JSON.parse(deliveries[0]!.body) as { type: string; data: { disposition: string; call: { status: string; outcome: string; call_uuid: string } } };
    expect(body.type).toBe('call.hangup');
    expect(body.data.disposition).toBe('controller_lost');
    expect(body.data.call).toMatchObject({ call_uuid: u, status: 'missed', outcome: 'controller_lost' });
  });
});

describe('reconciler wiring', () => {
  it('sweeps when the inbound connection comes up again', async () => {
    const sweeps = sweepLog();
    const t = await setup({ onSweep: sweeps.record });
    t.reconciler.start();
    await sweeps.next('connect');
    const u = randomUUID();
    const id = await t.insertRow({ uuid: u, startedAt: ago(40) });
    const port = t.emu.port;
    await t.emu.close();
    const again = new InboundEmulator({ port });
    await again.listen();
    cleanups.push(() => again.close());
    await t.client.waitConnected({ timeoutMs: 2_000 });
    expect(await sweeps.next('connect')).toMatchObject({ ran: true, closed: 1 });
    expect(await t.row(id)).toMatchObject({ disposition: 'controller_lost' });
  });
});

describe('reconciler follow-up', () => {
  it('sweeps again grace + settle after connecting, for rows that were too young the first time', async () => {
    const t = await setup({ settings: { graceMs: 100, settleMs: 0 } });
    const sweeps = sweepLog();
    const u = randomUUID();
    // Started 50 ms before "now" at the first sweep: too young; the clock below moves on by then.
    let now = NOW;
    const reconciler = createReconciler({
      store: createReconcileStore(t.db), switches: oneSwitch(t.client), registry: createCallRegistry(), bus: createCallEventBus(),
      snapshots: { lookupDid: () => null }, logger: silentLogger(), now: () => new Date(now),
      settings: { intervalMs: 0, graceMs: 100, settleMs: 0, defaultCountryCode: '91' },
      onSweep: sweeps.record,
    });
    cleanups.push(() => reconciler.stop());
    const id = await t.insertRow({ uuid: u, startedAt: new Date(NOW - 50).toISOString() });
    reconciler.start();
    expect(await sweeps.next('connect')).toMatchObject({ ran: true, closed: 0 });
    expect(await t.row(id)).toMatchObject({ endedAt: null });
    now = NOW + 5_000;
    expect(await sweeps.next('follow-up')).toMatchObject({ ran: true, closed: 1 });
    expect(await t.row(id)).toMatchObject({ disposition: 'controller_lost' });
  });
});
