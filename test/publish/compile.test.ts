import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { compile } from '../../src/publish/compile.ts';
import { freshDb, type FreshDb } from './seed.ts';
import { addAgent, addDid, addExtension, addIvr, addOption, addQueue, newOrg, seedValid } from './seed-async.ts';

let t: FreshDb;
beforeEach(async () => { t = await freshDb(); });
afterEach(() => t.close());

const codes = (list: { code: string }[]) => list.map((p) => p.code).sort();

describe('compile', () => {
  it('compiles a valid configuration keyed by digit, number and E.164', async () => {
    const org = await newOrg(t.adb);
    const { ivr, queue, did } = await seedValid(t.adb, org.id);
    const r = await compile(t.adb, org.id, { soundsDir: t.soundsDir });
    expect(r.problems).toEqual([]);
    expect(r.snapshot).toMatchObject({ schema: 1, orgId: org.id, orgName: 'Acme', sipDomain: org.sipDomain });
    expect(r.snapshot).not.toHaveProperty('version');
    const s = r.snapshot.ivrs[ivr.id]!;
    expect(Object.keys(s.options).sort()).toEqual(['1', '2']);
    expect(s.options['1']).toEqual({ digit: '1', type: 'extension', value: '1001', description: null });
    expect(s.greetingFile).toBeNull();
    expect(s.directDial).toEqual({ policy: 'disabled', list: [] });
    expect(r.snapshot.queues['5001']).toMatchObject({ id: queue.id, fsName: `5001@${org.sipDomain}`, agents: [{ extension: '1001', level: 1, position: 1 }] });
    expect(r.snapshot.extensions['1001']).toEqual({ number: '1001', name: 'Ext 1001', enabled: true, voicemailEnabled: true });
    expect(r.snapshot.dids['+918065978001']).toEqual({ number: '+918065978001', didId: did.id, routingType: 'ivr', destination: ivr.id });
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'no_greeting', path: `ivrs.${ivr.id}.greeting` })]);
  });

  it('resolves each retry limit: timeout_retries / invalid_retries, or max_retries when null', async () => {
    const org = await newOrg(t.adb);
    const { ivr } = await seedValid(t.adb, org.id);
    const other = await addIvr(t.adb, org.id, '7002', { maxRetries: 4, timeoutRetries: 2, invalidRetries: 6 });
    await addOption(t.adb, org.id, other.id, '1', 'extension', '1001');
    await t.adb.update(t.adb.t.ivrs).set({ maxRetries: 5 }).where(eq(t.adb.t.ivrs.id, ivr.id));
    const r = await compile(t.adb, org.id, { soundsDir: t.soundsDir });
    expect(r.problems).toEqual([]);
    expect(r.snapshot.ivrs[ivr.id]).toMatchObject({ maxRetries: 5, maxTimeouts: 5, maxInvalids: 5 });
    expect(r.snapshot.ivrs[other.id]).toMatchObject({ maxRetries: 4, maxTimeouts: 2, maxInvalids: 6 });
  });

  it('uses the greeting wav when it exists (absolute path, no warning)', async () => {
    const org = await newOrg(t.adb);
    const { ivr } = await seedValid(t.adb, org.id);
    writeFileSync(join(t.soundsDir, `greeting_ivr_${ivr.id}.wav`), 'RIFF');
    const r = await compile(t.adb, org.id, { soundsDir: t.soundsDir });
    expect(r.snapshot.ivrs[ivr.id]!.greetingFile).toBe(join(t.soundsDir, `greeting_ivr_${ivr.id}.wav`));
    expect(r.warnings).toEqual([]);
  });

  it('reports a dangling menu option with its path and reference', async () => {
    const org = await newOrg(t.adb);
    const { ivr } = await seedValid(t.adb, org.id);
    await addOption(t.adb, org.id, ivr.id, '3', 'extension', '1999');
    await addOption(t.adb, org.id, ivr.id, '4', 'queue', '5999');
    await addOption(t.adb, org.id, ivr.id, '5', 'ivr', '2d7a59e9-4304-4032-a0c1-f8df2429751c');
    await addOption(t.adb, org.id, ivr.id, '6', 'ai_agent', '2d7a59e9-4304-4032-a0c1-f8df2429751c');
    const r = await compile(t.adb, org.id, { soundsDir: t.soundsDir });
    expect(codes(r.problems)).toEqual(['dangling_reference', 'dangling_reference', 'dangling_reference', 'dangling_reference']);
    expect(r.problems[0]).toEqual({
      code: 'dangling_reference', path: `ivrs.${ivr.id}.options.3`, ref: { type: 'extension', value: '1999' },
      message: 'IVR "Main", option 3: extension 1999 does not exist in this organization',
    });
  });

  it('names the DID number when its IVR was deleted', async () => {
    const org = await newOrg(t.adb);
    const { ivr } = await seedValid(t.adb, org.id);
    await t.adb.delete(t.adb.t.ivrs).where(eq(t.adb.t.ivrs.id, ivr.id));
    const r = await compile(t.adb, org.id, { soundsDir: t.soundsDir });
    expect(r.problems).toEqual([
      expect.objectContaining({ code: 'dangling_reference', path: 'dids.+918065978001', message: `DID +918065978001: IVR ${ivr.id} does not exist in this organization` }),
    ]);
  });

  it('treats another organization\'s objects as missing', async () => {
    const org = await newOrg(t.adb);
    const other = await newOrg(t.adb, 'Other');
    await seedValid(t.adb, other.id);
    const ivr = await addIvr(t.adb, org.id, '7001');
    await addOption(t.adb, org.id, ivr.id, '1', 'extension', '1001');
    await addDid(t.adb, org.id, '+918065978002', 'queue', '5001');
    const r = await compile(t.adb, org.id, { soundsDir: t.soundsDir });
    expect(r.problems.map((p) => p.path).sort()).toEqual(['dids.+918065978002', `ivrs.${ivr.id}.options.1`]);
  });

  it('rejects an IVR with no options and no direct dial, accepts one with direct dial', async () => {
    const org = await newOrg(t.adb);
    const empty = await addIvr(t.adb, org.id, '7001');
    await addIvr(t.adb, org.id, '7002', { enableDirectDial: true, directDialPolicy: 'all' });
    const r = await compile(t.adb, org.id, { soundsDir: t.soundsDir });
    expect(r.problems).toEqual([expect.objectContaining({ code: 'ivr_empty', path: `ivrs.${empty.id}.options` })]);
  });

  it('checks timeout/invalid destinations, digits, voicemail and agent fallbacks', async () => {
    const org = await newOrg(t.adb);
    const { ivr } = await seedValid(t.adb, org.id);
    await addExtension(t.adb, org.id, '1002', { voicemailEnabled: false });
    await t.adb.update(t.adb.t.ivrs).set({
      timeoutDestination: { type: 'repeat', value: null },
      invalidDestination: { type: 'external', value: '12345' },
    }).where(eq(t.adb.t.ivrs.id, ivr.id));
    await addOption(t.adb, org.id, ivr.id, 'A', 'hangup', null);
    await addOption(t.adb, org.id, ivr.id, '9', 'voicemail', '1002');
    await addOption(t.adb, org.id, ivr.id, '8', 'extension', null);
    const agent = await addAgent(t.adb, org.id, { fallbackDestination: { type: 'queue', value: '5999' }, dialect: 'sip' });
    const r = await compile(t.adb, org.id, { soundsDir: t.soundsDir });
    const byPath = Object.fromEntries(r.problems.map((p) => [p.path, p.code]));
    expect(byPath).toEqual({
      [`ivrs.${ivr.id}.timeout_destination`]: 'invalid_type',
      [`ivrs.${ivr.id}.invalid_destination`]: 'invalid_destination',
      [`ivrs.${ivr.id}.options.A`]: 'invalid_digit',
      [`ivrs.${ivr.id}.options.9`]: 'voicemail_disabled',
      [`ivrs.${ivr.id}.options.8`]: 'missing_destination',
      [`agents.${agent.id}.fallback`]: 'dangling_reference',
      [`agents.${agent.id}.dialect`]: 'invalid_value',
    });
  });

  it('warns about disabled referenced extensions, agentless queues, unrouted and inactive DIDs', async () => {
    const org = await newOrg(t.adb);
    const { ivr } = await seedValid(t.adb, org.id);
    writeFileSync(join(t.soundsDir, `greeting_ivr_${ivr.id}.wav`), 'RIFF');
    await addExtension(t.adb, org.id, '1003', { enabled: false });
    await addOption(t.adb, org.id, ivr.id, '3', 'extension', '1003');
    await addQueue(t.adb, org.id, '5002');
    await addDid(t.adb, org.id, '+918065978009', null);
    await t.adb.update(t.adb.t.ivrs).set({ timeoutPrompt: 'Sorry, we did not get that' }).where(eq(t.adb.t.ivrs.id, ivr.id));
    const r = await compile(t.adb, org.id, { soundsDir: t.soundsDir });
    expect(r.problems).toEqual([]);
    expect(codes(r.warnings)).toEqual(['did_unrouted', 'extension_disabled', 'prompt_not_sound_file', 'queue_no_agents']);
    expect(r.warnings.find((w) => w.code === 'did_unrouted')!.message).toContain('+918065978009');
    expect(r.snapshot.dids['+918065978009']).toBeUndefined();
  });

  it('leaves inactive DIDs out of the snapshot with a warning', async () => {
    const org = await newOrg(t.adb);
    await seedValid(t.adb, org.id);
    await t.adb.update(t.adb.t.dids).set({ status: 'inactive' });
    const r = await compile(t.adb, org.id, { soundsDir: t.soundsDir });
    expect(r.snapshot.dids).toEqual({});
    expect(codes(r.warnings)).toContain('did_inactive');
  });
});
