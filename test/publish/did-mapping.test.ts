import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { publishDidMapping } from '../../src/publish/did-mapping.ts';
import { publish } from '../../src/publish/publish.ts';
import type { ConfigSnapshot } from '../../src/publish/snapshot.ts';
import { freshDb, type FreshDb } from './seed.ts';
import { addDid, addExtension, addIvr, newOrg, seedValid } from './seed-async.ts';

let t: FreshDb;
beforeEach(async () => { t = await freshDb(); });
afterEach(() => t.close());

const versions = async () => (await t.adb.select().from(t.adb.t.configSnapshots).orderBy(asc(t.adb.t.configSnapshots.version))).map((r) => r.snapshot as ConfigSnapshot);
const live = () => t.adb.select().from(t.adb.t.liveDids);

describe('publishDidMapping', () => {
  it('writes nothing for an org that never published and routes no DID', async () => {
    const org = await newOrg(t.adb);
    await addDid(t.adb, org.id, '+918065978001', null);
    expect(await publishDidMapping(t.adb, org.id, {})).toEqual({ version: null, warnings: [] });
    expect(await versions()).toEqual([]);
  });

  it('before any publish: an empty snapshot with the DIDs, and a warning for the unpublished IVR', async () => {
    const org = await newOrg(t.adb);
    const ivr = await addIvr(t.adb, org.id, '7001');
    const did = await addDid(t.adb, org.id, '+918065978001', 'ivr', ivr.id);
    const r = await publishDidMapping(t.adb, org.id, { actorId: 'u1' });
    expect(r).toEqual({ version: 1, warnings: [`DID +918065978001: IVR ${ivr.id} is not published yet: publish to make it live`] });
    const [snap] = await versions();
    expect(snap).toMatchObject({ orgId: org.id, orgName: 'Acme', sipDomain: org.sipDomain, ivrs: {}, queues: {}, version: 1 });
    expect(snap!.dids).toEqual({ '+918065978001': { number: '+918065978001', didId: did.id, routingType: 'ivr', destination: ivr.id } });
    expect(await live()).toEqual([expect.objectContaining({ number: '+918065978001', orgId: org.id, routingDestination: ivr.id })]);
  });

  it('after a publish: replaces only the dids section, live at once; unchanged routing is a no-op', async () => {
    const org = await newOrg(t.adb);
    const { ivr } = await seedValid(t.adb, org.id);
    await publish(t.adb, org.id, { soundsDir: t.soundsDir });
    await addIvr(t.adb, org.id, '7002'); // a draft that must not leak into the DID-only version
    await t.adb.update(t.adb.t.dids).set({ routingType: 'extension', routingDestination: '1001' });
    const r = await publishDidMapping(t.adb, org.id, {});
    expect(r).toEqual({ version: 2, warnings: [] });
    const [v1, v2] = await versions();
    expect(v2!.ivrs).toEqual(v1!.ivrs);
    expect(Object.keys(v2!.ivrs)).toEqual([ivr.id]);
    expect(v2!.dids['+918065978001']).toMatchObject({ routingType: 'extension', destination: '1001' });
    expect((await live())[0]).toMatchObject({ routingType: 'extension', routingDestination: '1001' });
    expect(await publishDidMapping(t.adb, org.id, {})).toEqual({ version: 2, warnings: [] });
    expect(await versions()).toHaveLength(2);
  });

  it('warns for queues, extensions and agents missing from the published snapshot; unrouting removes the live row', async () => {
    const org = await newOrg(t.adb);
    await seedValid(t.adb, org.id);
    await publish(t.adb, org.id, { soundsDir: t.soundsDir });
    await addExtension(t.adb, org.id, '1005');
    await addDid(t.adb, org.id, '+918065978002', 'extension', '1005');
    await addDid(t.adb, org.id, '+918065978003', 'queue', '5009');
    await addDid(t.adb, org.id, '+918065978004', 'ai_agent', '2d7a59e9-4304-4032-a0c1-f8df2429751c');
    await addDid(t.adb, org.id, '+918065978005', 'ai_agent', 'wss://bot.example.com/ws');
    const r = await publishDidMapping(t.adb, org.id, {});
    expect(r.warnings).toEqual([
      'DID +918065978002: extension 1005 is not published yet: publish to make it live',
      'DID +918065978003: queue 5009 is not published yet: publish to make it live',
      'DID +918065978004: AI agent 2d7a59e9-4304-4032-a0c1-f8df2429751c is not published yet: publish to make it live',
    ]);
    await t.adb.update(t.adb.t.dids).set({ routingType: null, routingDestination: null }).where(eq(t.adb.t.dids.number, '+918065978001'));
    await publishDidMapping(t.adb, org.id, {});
    expect((await live()).map((d) => d.number).sort()).toEqual(['+918065978002', '+918065978003', '+918065978004', '+918065978005']);
  });
});
