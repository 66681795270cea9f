import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { publish } from '../../src/publish/publish.ts';
import { withVersionRetry } from '../../src/publish/store.ts';
import { openDatabase } from '../../src/db/client.ts';
import { configSnapshots, dids, extensions, ivrMenuOptions, liveDids, queues } from '../../src/db/schema/index.ts';
import { UnprocessableError } from '../../src/domain/errors.ts';
import type { ConfigSnapshot } from '../../src/publish/snapshot.ts';
import { addDid, addExtension, addOption, freshDb, newOrg, seedValid } from './seed.ts';

let t: ReturnType<typeof freshDb>;
beforeEach(() => { t = freshDb(); });
afterEach(() => t.close());

const opts = () => ({ actorId: 'user-1', soundsDir: t.soundsDir, now: new Date('2025-01-01T00:00:00Z') });
const rows = () => t.db.select().from(configSnapshots).all();

describe('publish', () => {
  it('writes version 1 and the live DID mapping', () => {
    const org = newOrg(t.db);
    const { ivr, did } = seedValid(t.db, org.id);
    const r = publish(t.db, org.id, opts());
    expect(r).toMatchObject({ version: 1, changed: true, queueNames: [`5001@${org.sipDomain}`], removedQueueNames: [] });
    expect(r.warnings.map((w) => w.code)).toEqual(['no_greeting']);
    const [row] = rows();
    expect(row).toMatchObject({ orgId: org.id, version: 1, publishedBy: 'user-1', createdAt: '2025-01-01T00:00:00.000Z' });
    expect((row!.snapshot as ConfigSnapshot).publishedAt).toBe('2025-01-01T00:00:00.000Z');
    expect(t.db.select().from(liveDids).all()).toEqual([
      { number: '+918065978001', orgId: org.id, didId: did.id, routingType: 'ivr', routingDestination: ivr.id, updatedAt: '2025-01-01T00:00:00.000Z' },
    ]);
  });

  it('is idempotent: publishing unchanged configuration returns the same version, changed false', () => {
    const org = newOrg(t.db);
    seedValid(t.db, org.id);
    publish(t.db, org.id, opts());
    const again = publish(t.db, org.id, { ...opts(), now: new Date('2025-02-01T00:00:00Z') });
    expect(again).toMatchObject({ version: 1, changed: false });
    expect(rows()).toHaveLength(1);
  });

  it('writes the next version on change and names removed queues', () => {
    const org = newOrg(t.db);
    const { ivr } = seedValid(t.db, org.id);
    publish(t.db, org.id, opts());
    t.db.delete(queues).where(eq(queues.number, '5001')).run();
    t.db.delete(ivrMenuOptions).run();
    addOption(t.db, org.id, ivr.id, '1', 'extension', '1001');
    const r = publish(t.db, org.id, opts());
    expect(r).toMatchObject({ version: 2, changed: true, queueNames: [], removedQueueNames: [`5001@${org.sipDomain}`] });
  });

  it('422 lists every problem and writes nothing', () => {
    const org = newOrg(t.db);
    const { ivr } = seedValid(t.db, org.id);
    publish(t.db, org.id, opts());
    const before = { snaps: rows(), live: t.db.select().from(liveDids).all() };
    addOption(t.db, org.id, ivr.id, '3', 'extension', '1999');
    addDid(t.db, org.id, '+918065978002', 'queue', '5999');
    let err: unknown;
    try {
      publish(t.db, org.id, opts());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnprocessableError);
    const e = err as UnprocessableError;
    expect(e.message).toBe('Configuration has 2 problem(s); nothing was published');
    const details = e.details as { problems: { path: string }[]; warnings: unknown[] };
    expect(details.problems.map((p) => p.path).sort()).toEqual(['dids.+918065978002', `ivrs.${ivr.id}.options.3`]);
    expect(details.warnings).toHaveLength(1);
    expect({ snaps: rows(), live: t.db.select().from(liveDids).all() }).toEqual(before);
  });

  it('keeps the published snapshot when drafts change afterwards', () => {
    const org = newOrg(t.db);
    seedValid(t.db, org.id);
    publish(t.db, org.id, opts());
    t.db.update(extensions).set({ name: 'Renamed', enabled: false }).run();
    t.db.update(dids).set({ routingType: 'extension', routingDestination: '1001' }).run();
    const snap = rows()[0]!.snapshot as ConfigSnapshot;
    expect(snap.extensions['1001']).toMatchObject({ name: 'Ext 1001', enabled: true });
    expect(snap.dids['+918065978001']!.routingType).toBe('ivr');
    expect(t.db.select().from(liveDids).get()!.routingType).toBe('ivr');
  });

  it('moves a live number to the organization that now owns it', () => {
    const a = newOrg(t.db, 'A');
    const b = newOrg(t.db, 'B');
    const { did } = seedValid(t.db, a.id);
    publish(t.db, a.id, opts());
    addExtension(t.db, b.id, '1001');
    t.db.update(dids).set({ orgId: b.id, routingType: 'extension', routingDestination: '1001' }).where(eq(dids.id, did.id)).run();
    publish(t.db, b.id, opts());
    expect(t.db.select().from(liveDids).all()).toEqual([expect.objectContaining({ number: '+918065978001', orgId: b.id, routingType: 'extension' })]);
    publish(t.db, a.id, opts()); // a's rewrite drops nothing of b's
    expect(t.db.select().from(liveDids).all()).toEqual([expect.objectContaining({ orgId: b.id })]);
  });

  it('two connections publishing one after another never reuse a version', () => {
    const org = newOrg(t.db);
    const { ivr } = seedValid(t.db, org.id);
    const second = openDatabase(t.dbPath);
    try {
      publish(t.db, org.id, opts());
      addOption(t.db, org.id, ivr.id, '0', 'hangup', null);
      publish(second.db, org.id, opts());
      addOption(t.db, org.id, ivr.id, '9', 'hangup', null);
      publish(t.db, org.id, opts());
    } finally {
      second.close();
    }
    expect(rows().map((r) => r.version).sort()).toEqual([1, 2, 3]);
  });

  it('retries once after losing a version race, not twice', () => {
    const conflict = Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    let calls = 0;
    expect(withVersionRetry(() => { if (++calls === 1) throw conflict; return 'ok'; })).toBe('ok');
    calls = 0;
    expect(() => withVersionRetry(() => { calls++; throw conflict; })).toThrow('UNIQUE');
    expect(calls).toBe(2);
    expect(() => withVersionRetry(() => { throw new Error('other'); })).toThrow('other');
  });
});

