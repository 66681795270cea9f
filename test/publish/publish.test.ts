import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { publish } from '../../src/publish/publish.ts';
import { withVersionRetry } from '../../src/publish/store.ts';
import { UnprocessableError } from '../../src/domain/errors.ts';
import type { ConfigSnapshot } from '../../src/publish/snapshot.ts';
import { freshDb, type FreshDb } from './seed.ts';
import { addDid, addExtension, addOption, newOrg, seedValid } from './seed-async.ts';

let t: FreshDb;
beforeEach(async () => { t = await freshDb(); });
afterEach(() => t.close());

const opts = () => ({ actorId: 'user-1', soundsDir: t.soundsDir, now: new Date('2025-01-01T00:00:00Z') });
const rows = () => t.adb.select().from(t.adb.t.configSnapshots).orderBy(asc(t.adb.t.configSnapshots.version));

describe('publish', () => {
  it('writes version 1 and the live DID mapping', async () => {
    const org = await newOrg(t.adb);
    const { ivr, did } = await seedValid(t.adb, org.id);
    const r = await publish(t.adb, org.id, opts());
    expect(r).toMatchObject({ version: 1, changed: true, queueNames: [`5001@${org.sipDomain}`], removedQueueNames: [] });
    expect(r.warnings.map((w) => w.code)).toEqual(['no_greeting']);
    const [row] = await rows();
    expect(row).toMatchObject({ orgId: org.id, version: 1, publishedBy: 'user-1', createdAt: '2025-01-01T00:00:00.000Z' });
    expect((row!.snapshot as ConfigSnapshot).publishedAt).toBe('2025-01-01T00:00:00.000Z');
    expect((await t.adb.select().from(t.adb.t.liveDids))).toEqual([
      { number: '+918065978001', orgId: org.id, didId: did.id, routingType: 'ivr', routingDestination: ivr.id, updatedAt: '2025-01-01T00:00:00.000Z' },
    ]);
  });

  it('is idempotent: publishing unchanged configuration returns the same version, changed false', async () => {
    const org = await newOrg(t.adb);
    await seedValid(t.adb, org.id);
    await publish(t.adb, org.id, opts());
    const again = await publish(t.adb, org.id, { ...opts(), now: new Date('2025-02-01T00:00:00Z') });
    expect(again).toMatchObject({ version: 1, changed: false });
    expect(await rows()).toHaveLength(1);
  });

  it('writes the next version on change and names removed queues', async () => {
    const org = await newOrg(t.adb);
    const { ivr } = await seedValid(t.adb, org.id);
    await publish(t.adb, org.id, opts());
    await t.adb.delete(t.adb.t.queues).where(eq(t.adb.t.queues.number, '5001'));
    await t.adb.delete(t.adb.t.ivrMenuOptions);
    await addOption(t.adb, org.id, ivr.id, '1', 'extension', '1001');
    const r = await publish(t.adb, org.id, opts());
    expect(r).toMatchObject({ version: 2, changed: true, queueNames: [], removedQueueNames: [`5001@${org.sipDomain}`] });
  });

  it('422 lists every problem and writes nothing', async () => {
    const org = await newOrg(t.adb);
    const { ivr } = await seedValid(t.adb, org.id);
    await publish(t.adb, org.id, opts());
    const before = { snaps: await rows(), live: (await t.adb.select().from(t.adb.t.liveDids)) };
    await addOption(t.adb, org.id, ivr.id, '3', 'extension', '1999');
    await addDid(t.adb, org.id, '+918065978002', 'queue', '5999');
    let err: unknown;
    try {
      await publish(t.adb, org.id, opts());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnprocessableError);
    const e = err as UnprocessableError;
    expect(e.message).toBe('Configuration has 2 problem(s); nothing was published');
    const details = e.details as { problems: { path: string }[]; warnings: unknown[] };
    expect(details.problems.map((p) => p.path).sort()).toEqual(['dids.+918065978002', `ivrs.${ivr.id}.options.3`]);
    expect(details.warnings).toHaveLength(1);
    expect({ snaps: await rows(), live: (await t.adb.select().from(t.adb.t.liveDids)) }).toEqual(before);
  });

  it('keeps the published snapshot when drafts change afterwards', async () => {
    const org = await newOrg(t.adb);
    await seedValid(t.adb, org.id);
    await publish(t.adb, org.id, opts());
    await t.adb.update(t.adb.t.extensions).set({ name: 'Renamed', enabled: false });
    await t.adb.update(t.adb.t.dids).set({ routingType: 'extension', routingDestination: '1001' });
    const snap = (await rows())[0]!.snapshot as ConfigSnapshot;
    expect(snap.extensions['1001']).toMatchObject({ name: 'Ext 1001', enabled: true });
    expect(snap.dids['+918065978001']!.routingType).toBe('ivr');
    expect((await t.adb.select().from(t.adb.t.liveDids))[0]!.routingType).toBe('ivr');
  });

  it('moves a live number to the organization that now owns it', async () => {
    const a = await newOrg(t.adb, 'A');
    const b = await newOrg(t.adb, 'B');
    const { did } = await seedValid(t.adb, a.id);
    await publish(t.adb, a.id, opts());
    await addExtension(t.adb, b.id, '1001');
    await t.adb.update(t.adb.t.dids).set({ orgId: b.id, routingType: 'extension', routingDestination: '1001' }).where(eq(t.adb.t.dids.id, did.id));
    await publish(t.adb, b.id, opts());
    expect((await t.adb.select().from(t.adb.t.liveDids))).toEqual([expect.objectContaining({ number: '+918065978001', orgId: b.id, routingType: 'extension' })]);
    await publish(t.adb, a.id, opts()); // a's rewrite drops nothing of b's
    expect((await t.adb.select().from(t.adb.t.liveDids))).toEqual([expect.objectContaining({ orgId: b.id })]);
  });

  it('two connections publishing one after another never reuse a version', async () => {
    const org = await newOrg(t.adb);
    const { ivr } = await seedValid(t.adb, org.id);
    const second = await t.openSecond();
    try {
      await publish(t.adb, org.id, opts());
      await addOption(t.adb, org.id, ivr.id, '0', 'hangup', null);
      await publish(second.adb, org.id, opts());
      await addOption(t.adb, org.id, ivr.id, '9', 'hangup', null);
      await publish(t.adb, org.id, opts());
    } finally {
      await second.close();
    }
    expect((await rows()).map((r) => r.version).sort()).toEqual([1, 2, 3]);
  });

  it('retries once after losing a version race, not twice', async () => {
    const conflict = Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    let calls = 0;
    await expect(withVersionRetry(async () => { if (++calls === 1) throw conflict; return 'ok'; })).resolves.toBe('ok');
    calls = 0;
    await expect(withVersionRetry(async () => { calls++; throw conflict; })).rejects.toThrow('UNIQUE');
    expect(calls).toBe(2);
    await expect(withVersionRetry(async () => { throw new Error('other'); })).rejects.toThrow('other');
  });
});

