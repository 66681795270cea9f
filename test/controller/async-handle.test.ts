/**
 * What the call controller reads and writes on the async handle (docs/postgres.md), on SQLite and, in the pg
 * project, on PostgreSQL: the masking lookup, the call's storage (callback, bot leg, voicemail message,
 * recording row), the voicemail box and the snapshot reader the controller uses. The calls themselves:
 * test/calls, test/voicemail, test/bot (emulator, SQLite).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';
import { createMaskingLookup } from '../../src/services/masking/lookup.ts';
import { databaseStorage } from '../../src/call/storage.ts';
import { findMailbox } from '../../src/services/voicemail/mailbox.ts';
import { DEFAULT_VOICEMAIL_GREETING } from '../../src/services/voicemail/greeting.ts';
import { createAsyncSnapshotReader } from '../../src/publish/reader.ts';
import { publish } from '../../src/publish/publish.ts';
import { addExtension, seedValid } from '../publish/seed-async.ts';

let api: AsyncTestApi;
let org: TestOrg;
beforeEach(async () => {
  api = await openTestApi();
  org = await api.org();
});
afterEach(() => api.close());

const DID = '+918065978001';
const A = '+919944421125';
const B = '+919944421126';

describe('the controller on the async handle', () => {
  it('masking lookup: only active, unexpired sessions on that DID, for either party', async () => {
    const { adb } = api.deps;
    const [s] = await adb.insert(adb.t.maskingSessions).values({
      orgId: org.orgId, did: DID, firstPhone: A, secondPhone: B, firstMasked: '+9199******25', secondMasked: '+9199******26',
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    }).returning();
    await adb.insert(adb.t.maskingSessions).values({ orgId: org.orgId, did: DID, firstPhone: A, secondPhone: '+910000000000', firstMasked: 'x', secondMasked: 'y', status: 'ended' });
    let now = new Date();
    const lookup = createMaskingLookup(adb, () => now);
    expect(await lookup(DID, A)).toEqual({ sessionId: s!.id, orgId: org.orgId, otherParty: B, callerMasked: '+9199******25', otherMasked: '+9199******26' });
    expect((await lookup(DID, B))?.otherParty).toBe(A);
    expect(await lookup('+918065978002', A)).toBeNull();
    expect(await lookup(DID, '+919800000001')).toBeNull();
    now = new Date(Date.now() + 2 * 3600_000);
    expect(await lookup(DID, A)).toBeNull();
  });

  it('storage writes each row; the voicemail box is read live', async () => {
    const { adb } = api.deps;
    const storage = databaseStorage(adb);
    const callId = randomUUID();
    await storage.callback({ orgId: org.orgId, callUuid: 'u1', callerNumber: A, did: DID, ivrId: null });
    await storage.recording({ orgId: org.orgId, callId, path: '/tmp/r.wav' });
    await storage.botLeg({
      callId, callUuid: 'u1', orgId: org.orgId, agentId: null, wsUrl: 'wss://bot.example.com/ws', dialect: 'native', streamId: 's1',
      startedAt: new Date().toISOString(), durationMs: 1200, dtmf: '', endReason: 'caller_hangup', endDetail: null, transferTarget: null, stats: {},
    });
    await storage.voicemail({
      id: randomUUID(), orgId: org.orgId, extension: '1001', callLogId: callId, caller: A, did: DID, path: '/tmp/m.wav', durationMs: 3000, createdAt: new Date().toISOString(),
    });
    expect(await adb.select().from(adb.t.callbackRequests).where(eq(adb.t.callbackRequests.orgId, org.orgId))).toEqual([expect.objectContaining({ callUuid: 'u1', callerNumber: A })]);
    expect(await adb.select().from(adb.t.callRecordings).where(eq(adb.t.callRecordings.callId, callId))).toHaveLength(1);
    expect(await adb.select().from(adb.t.botLegs).where(eq(adb.t.botLegs.callId, callId))).toEqual([expect.objectContaining({ streamId: 's1', durationMs: 1200 })]);
    expect(await adb.select().from(adb.t.voicemailMessages).where(eq(adb.t.voicemailMessages.callLogId, callId))).toEqual([expect.objectContaining({ extension: '1001', durationMs: 3000 })]);

    expect(await findMailbox(adb, org.orgId, '1001')).toEqual({ greetingText: DEFAULT_VOICEMAIL_GREETING, greetingFile: null });
    await addExtension(adb, org.orgId, '1001', { voicemailGreeting: 'Leave a message', voicemailGreetingFile: '/nonexistent.wav' });
    expect(await findMailbox(adb, org.orgId, '1001')).toEqual({ greetingText: 'Leave a message', greetingFile: null });
  });

  it('the snapshot reader: a live number finds its organization and latest snapshot; the same frozen object from the cache', async () => {
    const { adb } = api.deps;
    const { did } = await seedValid(adb, org.orgId);
    const reader = createAsyncSnapshotReader(adb);
    expect(await reader.lookupDid(did.number)).toBeNull();
    const { version } = await publish(adb, org.orgId, { soundsDir: api.dataDir });
    const found = await reader.lookupDid(did.number);
    expect(found).toMatchObject({ orgId: org.orgId, snapshot: { version }, did: { number: did.number, routingType: 'ivr' } });
    expect(Object.isFrozen(found!.snapshot)).toBe(true);
    expect((await reader.lookupDid(did.number))!.snapshot).toBe(found!.snapshot);
    expect(await reader.latest(org.orgId)).toBe(found!.snapshot);
  });
});
