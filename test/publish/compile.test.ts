import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { compile } from '../../src/publish/compile.ts';
import { dids, ivrs } from '../../src/db/schema/index.ts';
import { addAgent, addDid, addExtension, addIvr, addOption, addQueue, freshDb, newOrg, seedValid } from './seed.ts';

let t: ReturnType<typeof freshDb>;
beforeEach(() => { t = freshDb(); });
afterEach(() => t.close());

const codes = (list: { code: string }[]) => list.map((p) => p.code).sort();

describe('compile', () => {
  it('compiles a valid configuration keyed by digit, number and E.164', () => {
    const org = newOrg(t.db);
    const { ivr, queue, did } = seedValid(t.db, org.id);
    const r = compile(t.db, org.id, { soundsDir: t.soundsDir });
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

  it('resolves each retry limit: timeout_retries / invalid_retries, or max_retries when null', () => {
    const org = newOrg(t.db);
    const { ivr } = seedValid(t.db, org.id);
    const other = addIvr(t.db, org.id, '7002', { maxRetries: 4, timeoutRetries: 2, invalidRetries: 6 });
    addOption(t.db, org.id, other.id, '1', 'extension', '1001');
    t.db.update(ivrs).set({ maxRetries: 5 }).where(eq(ivrs.id, ivr.id)).run();
    const r = compile(t.db, org.id, { soundsDir: t.soundsDir });
    expect(r.problems).toEqual([]);
    expect(r.snapshot.ivrs[ivr.id]).toMatchObject({ maxRetries: 5, maxTimeouts: 5, maxInvalids: 5 });
    expect(r.snapshot.ivrs[other.id]).toMatchObject({ maxRetries: 4, maxTimeouts: 2, maxInvalids: 6 });
  });

  it('uses the greeting wav when it exists (absolute path, no warning)', () => {
    const org = newOrg(t.db);
    const { ivr } = seedValid(t.db, org.id);
    writeFileSync(join(t.soundsDir, `greeting_ivr_${ivr.id}.wav`), 'RIFF');
    const r = compile(t.db, org.id, { soundsDir: t.soundsDir });
    expect(r.snapshot.ivrs[ivr.id]!.greetingFile).toBe(join(t.soundsDir, `greeting_ivr_${ivr.id}.wav`));
    expect(r.warnings).toEqual([]);
  });

  it('reports a dangling menu option with its path and reference', () => {
    const org = newOrg(t.db);
    const { ivr } = seedValid(t.db, org.id);
    addOption(t.db, org.id, ivr.id, '3', 'extension', '1999');
    addOption(t.db, org.id, ivr.id, '4', 'queue', '5999');
    addOption(t.db, org.id, ivr.id, '5', 'ivr', '2d7a59e9-4304-4032-a0c1-f8df2429751c');
    addOption(t.db, org.id, ivr.id, '6', 'ai_agent', '2d7a59e9-4304-4032-a0c1-f8df2429751c');
    const r = compile(t.db, org.id, { soundsDir: t.soundsDir });
    expect(codes(r.problems)).toEqual(['dangling_reference', 'dangling_reference', 'dangling_reference', 'dangling_reference']);
    expect(r.problems[0]).toEqual({
      code: 'dangling_reference', path: `ivrs.${ivr.id}.options.3`, ref: { type: 'extension', value: '1999' },
      message: 'IVR "Main", option 3: extension 1999 does not exist in this organization',
    });
  });

  it('names the DID number when its IVR was deleted', () => {
    const org = newOrg(t.db);
    const { ivr } = seedValid(t.db, org.id);
    t.db.delete(ivrs).where(eq(ivrs.id, ivr.id)).run();
    const r = compile(t.db, org.id, { soundsDir: t.soundsDir });
    expect(r.problems).toEqual([
      expect.objectContaining({ code: 'dangling_reference', path: 'dids.+918065978001', message: `DID +918065978001: IVR ${ivr.id} does not exist in this organization` }),
    ]);
  });

  it('treats another organization\'s objects as missing', () => {
    const org = newOrg(t.db);
    const other = newOrg(t.db, 'Other');
    seedValid(t.db, other.id);
    const ivr = addIvr(t.db, org.id, '7001');
    addOption(t.db, org.id, ivr.id, '1', 'extension', '1001');
    addDid(t.db, org.id, '+918065978002', 'queue', '5001');
    const r = compile(t.db, org.id, { soundsDir: t.soundsDir });
    expect(r.problems.map((p) => p.path).sort()).toEqual(['dids.+918065978002', `ivrs.${ivr.id}.options.1`]);
  });

  it('rejects an IVR with no options and no direct dial, accepts one with direct dial', () => {
    const org = newOrg(t.db);
    const empty = addIvr(t.db, org.id, '7001');
    addIvr(t.db, org.id, '7002', { enableDirectDial: true, directDialPolicy: 'all' });
    const r = compile(t.db, org.id, { soundsDir: t.soundsDir });
    expect(r.problems).toEqual([expect.objectContaining({ code: 'ivr_empty', path: `ivrs.${empty.id}.options` })]);
  });

  it('checks timeout/invalid destinations, digits, voicemail and agent fallbacks', () => {
    const org = newOrg(t.db);
    const { ivr } = seedValid(t.db, org.id);
    addExtension(t.db, org.id, '1002', { voicemailEnabled: false });
    t.db.update(ivrs).set({
      timeoutDestination: { type: 'repeat', value: null },
      invalidDestination: { type: 'external', value: '12345' },
    }).where(eq(ivrs.id, ivr.id)).run();
    addOption(t.db, org.id, ivr.id, 'A', 'hangup', null);
    addOption(t.db, org.id, ivr.id, '9', 'voicemail', '1002');
    addOption(t.db, org.id, ivr.id, '8', 'extension', null);
    const agent = addAgent(t.db, org.id, { fallbackDestination: { type: 'queue', value: '5999' }, dialect: 'sip' });
    const r = compile(t.db, org.id, { soundsDir: t.soundsDir });
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

  it('warns about disabled referenced extensions, agentless queues, unrouted and inactive DIDs', () => {
    const org = newOrg(t.db);
    const { ivr } = seedValid(t.db, org.id);
    writeFileSync(join(t.soundsDir, `greeting_ivr_${ivr.id}.wav`), 'RIFF');
    addExtension(t.db, org.id, '1003', { enabled: false });
    addOption(t.db, org.id, ivr.id, '3', 'extension', '1003');
    addQueue(t.db, org.id, '5002');
    addDid(t.db, org.id, '+918065978009', null);
    t.db.update(ivrs).set({ timeoutPrompt: 'Sorry, we did not get that' }).where(eq(ivrs.id, ivr.id)).run();
    const r = compile(t.db, org.id, { soundsDir: t.soundsDir });
    expect(r.problems).toEqual([]);
    expect(codes(r.warnings)).toEqual(['did_unrouted', 'extension_disabled', 'prompt_not_sound_file', 'queue_no_agents']);
    expect(r.warnings.find((w) => w.code === 'did_unrouted')!.message).toContain('+918065978009');
    expect(r.snapshot.dids['+918065978009']).toBeUndefined();
  });

  it('leaves inactive DIDs out of the snapshot with a warning', () => {
    const org = newOrg(t.db);
    seedValid(t.db, org.id);
    t.db.update(dids).set({ status: 'inactive' }).run();
    const r = compile(t.db, org.id, { soundsDir: t.soundsDir });
    expect(r.snapshot.dids).toEqual({});
    expect(codes(r.warnings)).toContain('did_inactive');
  });
});
