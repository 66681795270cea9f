import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { publishDidMapping } from '../../src/publish/did-mapping.ts';
import { publish } from '../../src/publish/publish.ts';
import { configSnapshots, dids, liveDids } from '../../src/db/schema/index.ts';
import type { ConfigSnapshot } from '../../src/publish/snapshot.ts';
import { addDid, addExtension, addIvr, freshDb, newOrg, seedValid } from './seed.ts';

let t: ReturnType<typeof freshDb>;
beforeEach(() => { t = freshDb(); });
afterEach(() => t.close());

const versions = () => t.db.select().from(configSnapshots).all().map((r) => r.snapshot as ConfigSnapshot);

describe('publishDidMapping', () => {
  it('writes nothing for an org that never published and routes no DID', () => {
    const org = newOrg(t.db);
    addDid(t.db, org.id, '+918065978001', null);
    expect(publishDidMapping(t.db, org.id, {})).toEqual({ version: null, warnings: [] });
    expect(versions()).toEqual([]);
  });

  it('before any publish: an empty snapshot with the DIDs, and a warning for the unpublished IVR', () => {
    const org = newOrg(t.db);
    const ivr = addIvr(t.db, org.id, '7001');
    const did = addDid(t.db, org.id, '+918065978001', 'ivr', ivr.id);
    const r = publishDidMapping(t.db, org.id, { actorId: 'u1' });
    expect(r).toEqual({ version: 1, warnings: [`DID +918065978001: IVR ${ivr.id} is not published yet: publish to make it live`] });
    const [snap] = versions();
    expect(snap).toMatchObject({ orgId: org.id, orgName: 'Acme', sipDomain: org.sipDomain, ivrs: {}, queues: {}, version: 1 });
    expect(snap!.dids).toEqual({ '+918065978001': { number: '+918065978001', didId: did.id, routingType: 'ivr', destination: ivr.id } });
    expect(t.db.select().from(liveDids).all()).toEqual([expect.objectContaining({ number: '+918065978001', orgId: org.id, routingDestination: ivr.id })]);
  });

  it('after a publish: replaces only the dids section, live at once; unchanged routing is a no-op', () => {
    const org = newOrg(t.db);
    const { ivr } = seedValid(t.db, org.id);
    publish(t.db, org.id, { soundsDir: t.soundsDir });
    addIvr(t.db, org.id, '7002'); // a draft that must not leak into the DID-only version
    t.db.update(dids).set({ routingType: 'extension', routingDestination: '1001' }).run();
    const r = publishDidMapping(t.db, org.id, {});
    expect(r).toEqual({ version: 2, warnings: [] });
    const [v1, v2] = versions();
    expect(v2!.ivrs).toEqual(v1!.ivrs);
    expect(Object.keys(v2!.ivrs)).toEqual([ivr.id]);
    expect(v2!.dids['+918065978001']).toMatchObject({ routingType: 'extension', destination: '1001' });
    expect(t.db.select().from(liveDids).get()).toMatchObject({ routingType: 'extension', routingDestination: '1001' });
    expect(publishDidMapping(t.db, org.id, {})).toEqual({ version: 2, warnings: [] });
    expect(versions()).toHaveLength(2);
  });

  it('warns for queues, extensions and agents missing from the published snapshot; unrouting removes the live row', () => {
    const org = newOrg(t.db);
    seedValid(t.db, org.id);
    publish(t.db, org.id, { soundsDir: t.soundsDir });
    addExtension(t.db, org.id, '1005');
    addDid(t.db, org.id, '+918065978002', 'extension', '1005');
    addDid(t.db, org.id, '+918065978003', 'queue', '5009');
    addDid(t.db, org.id, '+918065978004', 'ai_agent', '2d7a59e9-4304-4032-a0c1-f8df2429751c');
    addDid(t.db, org.id, '+918065978005', 'ai_agent', 'wss://bot.example.com/ws');
    const r = publishDidMapping(t.db, org.id, {});
    expect(r.warnings).toEqual([
      'DID +918065978002: extension 1005 is not published yet: publish to make it live',
      'DID +918065978003: queue 5009 is not published yet: publish to make it live',
      'DID +918065978004: AI agent 2d7a59e9-4304-4032-a0c1-f8df2429751c is not published yet: publish to make it live',
    ]);
    t.db.update(dids).set({ routingType: null, routingDestination: null }).where(eq(dids.number, '+918065978001')).run();
    publishDidMapping(t.db, org.id, {});
    expect(t.db.select().from(liveDids).all().map((d) => d.number).sort()).toEqual(['+918065978002', '+918065978003', '+918065978004', '+918065978005']);
  });
});
