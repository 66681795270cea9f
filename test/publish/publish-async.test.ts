/**
 * The publish steps (publish, publishDidMapping, publishExtensionStates, createAsyncSnapshotReader) on
 * SQLite and, in the pg project, on PostgreSQL: the same answers as on SQLite alone (publish.test.ts,
 * did-mapping.test.ts, reader.test.ts), and concurrent version bumps of one organization serialize
 * (PostgreSQL: the org row lock) instead of failing.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { createOrganization } from '../../src/services/organizations/organizations.ts';
import { publish } from '../../src/publish/publish.ts';
import { publishDidMapping } from '../../src/publish/did-mapping.ts';
import { publishExtensionStates } from '../../src/publish/extension-state.ts';
import { createAsyncSnapshotReader } from '../../src/publish/reader.ts';
import type { ConfigSnapshot } from '../../src/publish/snapshot.ts';
import { addDid, addExtension, addIvr, seedValid } from './seed-async.ts';

let api: AsyncTestApi;
let soundsDir: string;
beforeEach(async () => {
  api = await openTestApi();
  soundsDir = join(api.dataDir, 'sounds');
  mkdirSync(soundsDir, { recursive: true });
});
afterEach(() => api.close());

const db = () => api.deps.adb;
const versions = async (orgId: string) => {
  const { configSnapshots: cs } = db().t;
  return (await db().select().from(cs).where(eq(cs.orgId, orgId)).orderBy(cs.version)).map((r) => r.snapshot as ConfigSnapshot);
};
const liveDids = () => db().select().from(db().t.liveDids).orderBy(db().t.liveDids.number);

describe('publish', () => {
  it('writes version 1, then nothing while the draft is unchanged; live DIDs follow', async () => {
    const org = await createOrganization(db(), { name: 'Acme' });
    const { ivr } = await seedValid(db(), org.id);
    const first = await publish(db(), org.id, { soundsDir, actorId: 'u1' });
    expect(first).toMatchObject({ version: 1, changed: true, queueNames: [`5001@${org.sipDomain}`], removedQueueNames: [], previous: null });
    expect(await publish(db(), org.id, { soundsDir })).toMatchObject({ version: 1, changed: false });
    expect(await versions(org.id)).toHaveLength(1);
    expect(await liveDids()).toEqual([expect.objectContaining({ number: '+918065978001', orgId: org.id, routingType: 'ivr', routingDestination: ivr.id })]);
  });

  it('refuses a draft with problems (422) and writes nothing', async () => {
    const org = await createOrganization(db(), { name: 'Acme' });
    await addIvr(db(), org.id, '7001');
    await expect(publish(db(), org.id, { soundsDir })).rejects.toMatchObject({ code: 'unprocessable' });
    expect(await versions(org.id)).toEqual([]);
  });

  it('concurrent publishes of one organization get consecutive versions', async () => {
    const org = await createOrganization(db(), { name: 'Acme' });
    await seedValid(db(), org.id);
    const { extensions } = db().t;
    const results = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(async (i) => {
      await db().update(extensions).set({ name: `Name ${i}` }).where(eq(extensions.orgId, org.id));
      return publish(db(), org.id, { soundsDir });
    }));
    const written = results.filter((r) => r.changed).map((r) => r.version).sort();
    expect(written).toEqual(Array.from({ length: written.length }, (_, i) => i + 1));
    expect((await versions(org.id)).map((s) => s.version)).toEqual(written);
  });
});

describe('publishDidMapping', () => {
  it('nothing for an org that never published and routes no DID; then an empty snapshot with the DIDs', async () => {
    const org = await createOrganization(db(), { name: 'Acme' });
    const unrouted = await addDid(db(), org.id, '+918065978009', null);
    expect(await publishDidMapping(db(), org.id, {})).toEqual({ version: null, warnings: [] });
    expect(unrouted.routingType).toBeNull();
    const ivr = await addIvr(db(), org.id, '7001');
    const did = await addDid(db(), org.id, '+918065978001', 'ivr', ivr.id);
    expect(await publishDidMapping(db(), org.id, { actorId: 'u1' }))
      .toEqual({ version: 1, warnings: [`DID +918065978001: IVR ${ivr.id} is not published yet: publish to make it live`] });
    const [snap] = await versions(org.id);
    expect(snap).toMatchObject({ orgId: org.id, orgName: 'Acme', sipDomain: org.sipDomain, ivrs: {}, queues: {}, version: 1 });
    expect(snap!.dids).toEqual({ '+918065978001': { number: '+918065978001', didId: did.id, routingType: 'ivr', destination: ivr.id } });
  });

  it('after a publish replaces only the dids section; unchanged routing is a no-op', async () => {
    const org = await createOrganization(db(), { name: 'Acme' });
    const { ivr } = await seedValid(db(), org.id);
    await publish(db(), org.id, { soundsDir });
    await addIvr(db(), org.id, '7002'); // a draft that must not leak into the DID-only version
    await db().update(db().t.dids).set({ routingType: 'extension', routingDestination: '1001' });
    expect(await publishDidMapping(db(), org.id, {})).toEqual({ version: 2, warnings: [] });
    const [v1, v2] = await versions(org.id);
    expect(v2!.ivrs).toEqual(v1!.ivrs);
    expect(Object.keys(v2!.ivrs)).toEqual([ivr.id]);
    expect(v2!.dids['+918065978001']).toMatchObject({ routingType: 'extension', destination: '1001' });
    expect(await liveDids()).toEqual([expect.objectContaining({ routingType: 'extension', routingDestination: '1001' })]);
    expect(await publishDidMapping(db(), org.id, {})).toEqual({ version: 2, warnings: [] });
    expect(await versions(org.id)).toHaveLength(2);
  });
});

describe('publishExtensionStates', () => {
  it('patches only extensions[].enabled of the latest version; nothing before a publish', async () => {
    const org = await createOrganization(db(), { name: 'Acme' });
    await seedValid(db(), org.id);
    const { extensions } = db().t;
    expect(await publishExtensionStates(db(), org.id, { now: new Date() })).toEqual({ version: null, changed: false, snapshot: null, previous: null });
    await publish(db(), org.id, { soundsDir });
    await addExtension(db(), org.id, '1002'); // draft only: stays out
    await db().update(extensions).set({ enabled: false }).where(eq(extensions.orgId, org.id));
    const r = await publishExtensionStates(db(), org.id, { now: new Date() });
    expect(r).toMatchObject({ version: 2, changed: true });
    expect(r.snapshot!.extensions).toEqual({ '1001': expect.objectContaining({ enabled: false }) });
    expect(r.previous!.extensions['1001']!.enabled).toBe(true);
    expect(await publishExtensionStates(db(), org.id, { now: new Date() })).toMatchObject({ version: 2, changed: false });
  });
});

describe('async snapshot reader', () => {
  it('looks up a live DID, caches and pins parsed snapshots, lists every org\'s latest', async () => {
    const a = await createOrganization(db(), { name: 'A' });
    const b = await createOrganization(db(), { name: 'B' });
    const { ivr } = await seedValid(db(), a.id);
    const reader = createAsyncSnapshotReader(db());
    expect(await reader.lookupDid('+918065978001')).toBeNull(); // not published yet
    await publish(db(), a.id, { soundsDir });
    const hit = (await reader.lookupDid('+918065978001'))!;
    expect(hit).toMatchObject({ orgId: a.id, snapshot: { version: 1 }, did: { number: '+918065978001', routingType: 'ivr', destination: ivr.id } });
    expect(await reader.latest(a.id)).toBe(hit.snapshot);
    expect(Object.isFrozen(hit.snapshot.extensions['1001'])).toBe(true);
    expect(await reader.lookupDid('+919999999999')).toBeNull();
    expect(await reader.latest('no-such-org')).toBeNull();

    await db().update(db().t.extensions).set({ name: 'Renamed' }).where(eq(db().t.extensions.orgId, a.id));
    await publish(db(), a.id, { soundsDir });
    await publish(db(), b.id, { soundsDir });
    const second = (await reader.lookupDid('+918065978001'))!.snapshot;
    expect(second.extensions['1001']!.name).toBe('Renamed');
    expect(hit.snapshot.extensions['1001']!.name).toBe('Ext 1001');
    expect((await reader.allLatest()).map((s) => [s.orgName, s.version]).sort()).toEqual([['A', 2], ['B', 1]]);

    const small = createAsyncSnapshotReader(db(), { cacheSize: 1 });
    const sa = await small.latest(a.id);
    await small.latest(b.id); // evicts a
    const again = await small.latest(a.id);
    expect(again).not.toBe(sa);
    expect(again).toEqual(sa);
  });
});
