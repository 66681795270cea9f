import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createAsyncSnapshotReader } from '../../src/publish/reader.ts';
import { publish } from '../../src/publish/publish.ts';
import { freshDb, type FreshDb } from './seed.ts';
import { newOrg, seedValid } from './seed-async.ts';

let t: FreshDb;
beforeEach(async () => { t = await freshDb(); });
afterEach(() => t.close());

describe('snapshot reader', async () => {
  it('looks up a live DID: org, latest snapshot and the DID entry', async () => {
    const org = await newOrg(t.adb);
    const { ivr } = await seedValid(t.adb, org.id);
    const reader = createAsyncSnapshotReader(t.adb);
    expect(await reader.lookupDid('+918065978001')).toBeNull(); // not published yet
    await publish(t.adb, org.id, { soundsDir: t.soundsDir });
    const hit = (await reader.lookupDid('+918065978001'))!;
    expect(hit.orgId).toBe(org.id);
    expect(hit.snapshot.version).toBe(1);
    expect(hit.did).toMatchObject({ number: '+918065978001', routingType: 'ivr', destination: ivr.id });
    expect(await reader.lookupDid('+919999999999')).toBeNull();
    expect(await reader.latest(org.id)).toBe(hit.snapshot);
  });

  it('caches parsed snapshots and pins them: a later publish leaves the earlier object unchanged', async () => {
    const org = await newOrg(t.adb);
    await seedValid(t.adb, org.id);
    await publish(t.adb, org.id, { soundsDir: t.soundsDir });
    const reader = createAsyncSnapshotReader(t.adb);
    const first = (await reader.lookupDid('+918065978001'))!.snapshot;
    expect((await reader.lookupDid('+918065978001'))!.snapshot).toBe(first);
    expect(Object.isFrozen(first.extensions['1001'])).toBe(true);

    await t.adb.update(t.adb.t.extensions).set({ name: 'Renamed' }).where(eq(t.adb.t.extensions.number, '1001'));
    await publish(t.adb, org.id, { soundsDir: t.soundsDir });
    const second = (await reader.lookupDid('+918065978001'))!.snapshot;
    expect(second.version).toBe(2);
    expect(second.extensions['1001']!.name).toBe('Renamed');
    expect(first.version).toBe(1);
    expect(first.extensions['1001']!.name).toBe('Ext 1001');
  });

  it('bounds its cache (LRU) and lists every org\'s latest snapshot', async () => {
    const a = await newOrg(t.adb, 'A');
    const b = await newOrg(t.adb, 'B');
    await seedValid(t.adb, a.id);
    await publish(t.adb, a.id, { soundsDir: t.soundsDir });
    await publish(t.adb, b.id, { soundsDir: t.soundsDir });
    await t.adb.update(t.adb.t.extensions).set({ name: 'X' });
    await publish(t.adb, a.id, { soundsDir: t.soundsDir });
    const reader = createAsyncSnapshotReader(t.adb, { cacheSize: 1 });
    const sa = await reader.latest(a.id);
    await reader.latest(b.id); // evicts a
    expect(await reader.latest(a.id)).not.toBe(sa);
    expect(await reader.latest(a.id)).toEqual(sa);
    expect(await reader.latest('no-such-org')).toBeNull();
    expect((await reader.allLatest()).map((s) => [s.orgName, s.version]).sort()).toEqual([['A', 2], ['B', 1]]);
  });
});
