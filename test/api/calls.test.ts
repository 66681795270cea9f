import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCallHarness, type CallHarness } from '../originate/harness.ts';
import type { TestOrg } from '../helpers/api.ts';
import { openTestApi } from '../helpers/api.ts';
import { eq } from 'drizzle-orm';

let h: CallHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Err = { error: string; code: string; details?: { fields?: { field: string }[]; missing_permission?: string } };
type Placed = { status: string; message: string; logid: string; scheduled_at?: string | null };

async function keyWith(hh: CallHarness, org: TestOrg, permissions: string[]): Promise<string> {
  const res = await hh.api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions } });
  return ((await res.json()) as { key: string }).key;
}

describe('click-to-call', () => {
  it('rings the agent, then the customer with the DID as caller ID, bridges, records; hangup ends it', async () => {
    h = await createCallHarness();
    const org = await h.org();
    const res = await h.api.call('POST', '/api/v1/calls/click-to-call', { token: org.token, body: { did: org.did, ext_no: '1001', phone: '09944421125' } });
    expect(res.status).toBe(200);
    const placed = (await res.json()) as Placed;
    expect(placed).toMatchObject({ status: 'success', message: 'Call initiated' });
    const bridged = await h.waitStatus(org, placed.logid, 'bridged');
    expect(bridged).toMatchObject({ type: 'click_to_call', agent: '1001', second_number: '+919944421125', did: org.did, hangup_cause: null });
    const originate = h.emu.commandLog.find((l) => l.startsWith('bgapi originate'))!;
    // Only placed calls' channel events are sent to us: the filter goes before the subscription.
    const sent = h.emu.commandLog;
    expect(sent.indexOf('filter variable_sb_call_id /./')).toBeGreaterThan(-1);
    expect(sent.indexOf('filter Event-Name BACKGROUND_JOB')).toBeLessThan(sent.indexOf('filter variable_sb_call_id /./'));
    expect(originate).toContain(`user/1001@${org.sipDomain}`);
    expect(originate).toContain(`effective_caller_id_number=${org.did}`);
    // The second leg inherits sb_call_id (export), which the inbound socket's filter lets through.
    expect(originate).toMatch(/'export:sb_call_id=[0-9a-f-]+,bridge:\[origination_uuid=[0-9a-f-]+\]sofia\/gateway\/pstn\/\+919944421125' inline$/);
    // Each event is emitted once its row is written: the bridged row may be read a moment before call.bridged.
    const harness = h;
    await expect.poll(() => harness.events.map((e) => e.type)).toEqual(['call.ringing', 'call.answered', 'call.bridged']);
    // Recording started on bridge, listed per call.
    const recs = await h.waitRecordings(org, placed.logid, 1);
    expect(recs).toHaveLength(1);
    expect(h.emu.sim!.recordings).toHaveLength(1);
    const hang = await h.api.call('POST', `/api/v1/calls/${placed.logid}/hangup`, { token: org.token });
    expect(hang.status).toBe(200);
    const ended = await h.waitStatus(org, placed.logid, 'ended');
    expect(ended.hangup_cause).toBe('NORMAL_CLEARING');
    expect(h.events.at(-1)).toMatchObject({ type: 'call.hangup', callId: placed.logid, cause: 'NORMAL_CLEARING' });
    expect(h.emu.sim!.liveCount).toBe(0);
    // The call log row is complete and in the sync feed.
    const log = (await (await h.api.call('GET', `/api/v1/call-logs/${placed.logid}`, { token: org.token })).json()) as Record<string, unknown>;
    expect(log).toMatchObject({ type: 'click_to_call', caller_number: '+919944421125', agent: '1001', attended_by: '1001', status: 'answered' });
    expect(log.recording_url).toBe(recs[0]!.url);
    const sync = (await (await h.api.call('GET', '/api/v1/call-logs/sync', { token: org.token })).json()) as { calls: { id: string }[] };
    expect(sync.calls.map((c) => c.id)).toEqual([placed.logid]);
    expect((await h.api.call('POST', `/api/v1/calls/${placed.logid}/hangup`, { token: org.token })).status).toBe(409);
  });

  it('works by GET with ?token=', async () => {
    h = await createCallHarness({ talkMs: 5 });
    const org = await h.org();
    const q = new URLSearchParams({ did: org.did, ext_no: '1001', phone: '+919944421125', token: org.token });
    const res = await h.api.call('GET', `/api/v1/calls/click-to-call?${q}`);
    expect(res.status).toBe(200);
    const { logid } = (await res.json()) as Placed;
    expect((await h.waitStatus(org, logid, 'ended')).hangup_cause).toBe('NORMAL_CLEARING');
  });

  it('agent busy → failed USER_BUSY; customer not answering → failed NO_ANSWER', async () => {
    h = await createCallHarness({ outcome: (dial, leg) => (dial.startsWith('user/') ? (leg === 'a' && dial.includes('1001@busy') ? 'busy' : 'answer') : dial.endsWith('00') ? 'no-answer' : 'busy') });
    const org = await h.org();
    const one = async (phone: string) => {
      const res = await h!.api.call('POST', '/api/v1/calls/click-to-call', { token: org.token, body: { did: org.did, ext_no: '1001', phone } });
      return ((await res.json()) as Placed).logid;
    };
    const noAnswer = await one('+919944421100');
    expect((await h.waitStatus(org, noAnswer, 'failed')).hangup_cause).toBe('NO_ANSWER');
    const busy = await one('+919944421111');
    expect((await h.waitStatus(org, busy, 'failed')).hangup_cause).toBe('USER_BUSY');
    const log = (await (await h.api.call('GET', `/api/v1/call-logs/${busy}`, { token: org.token })).json()) as Record<string, unknown>;
    expect(log).toMatchObject({ status: 'failed', hangup_cause: 'USER_BUSY' });
  });

  it('first leg busy: the BACKGROUND_JOB -ERR ends the call', async () => {
    h = await createCallHarness({ outcome: (_dial, leg) => (leg === 'a' ? 'busy' : 'answer') });
    const org = await h.org();
    const res = await h.api.call('POST', '/api/v1/calls/two-party', { token: org.token, body: { did: org.did, first_phone: '9944421125', second_phone: '9944421126' } });
    const { logid } = (await res.json()) as Placed;
    expect((await h.waitStatus(org, logid, 'failed')).hangup_cause).toBe('USER_BUSY');
  });

  it('400 names the bad field; 401; 403 without call.write; 404 across orgs', async () => {
    h = await createCallHarness();
    const org = await h.org();
    const other = await h.org();
    const post = (body: unknown, auth: { token?: string; apiKey?: string } = { token: org.token }) => h!.api.call('POST', '/api/v1/calls/click-to-call', { ...auth, body });
    for (const [body, field] of [
      [{ did: org.did, ext_no: '1001', phone: 'not-a-number' }, 'phone'],
      [{ did: other.did, ext_no: '1001', phone: '9944421125' }, 'did'],
      [{ did: org.did, ext_no: '1999', phone: '9944421125' }, 'ext_no'],
      [{ did: org.did, phone: '9944421125' }, 'ext_no'],
    ] as const) {
      const res = await post(body);
      expect(res.status, field).toBe(400);
      expect(((await res.json()) as Err).details?.fields?.[0]?.field).toBe(field);
    }
    expect((await h.api.call('POST', '/api/v1/calls/click-to-call', { body: {} })).status).toBe(401);
    const ro = await keyWith(h, org, ['call.read']);
    const denied = await post({ did: org.did, ext_no: '1001', phone: '9944421125' }, { apiKey: ro });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as Err).details?.missing_permission).toBe('call.write');
    const placed = (await (await post({ did: org.did, ext_no: '1001', phone: '9944421125' })).json()) as Placed;
    for (const [method, path] of [['GET', ''], ['POST', '/hangup'], ['GET', '/recordings']] as const) {
      expect((await h.api.call(method, `/api/v1/calls/${placed.logid}${path}`, { token: other.token })).status, path).toBe(404);
    }
    expect((await h.api.call('GET', `/api/v1/calls/${placed.logid}/recordings/x/download`, { token: other.token })).status).toBe(404);
  });

  it('503 when the switch is not connected (nothing stored) or no call control exists', async () => {
    h = await createCallHarness({}, { connect: false });
    const org = await h.org();
    const res = await h.api.call('POST', '/api/v1/calls/click-to-call', { token: org.token, body: { did: org.did, ext_no: '1001', phone: '9944421125' } });
    expect(res.status).toBe(503);
    expect(((await res.json()) as Err).code).toBe('service_unavailable');
    expect(await h.api.deps.adb.select().from(h.api.deps.adb.t.outboundCalls)).toHaveLength(0);
    const bare = await openTestApi();
    try {
      const o = await bare.org();
      const r = await bare.call('POST', '/api/v1/calls/two-party', { token: o.token, body: { did: '+918065978001', first_phone: '9944421125', second_phone: '9944421126' } });
      expect(r.status).toBe(400); // DID check comes first
    } finally {
      await bare.close();
    }
  });
});

describe('two-party calls, scheduling, recordings download, live status of inbound calls', () => {
  it('plays the intro to the first party, then bridges the second', async () => {
    h = await createCallHarness();
    const org = await h.org();
    const res = await h.api.call('POST', '/api/v1/calls/two-party', { token: org.token, body: { did: org.did, first_phone: '9944421125', second_phone: '09944421126', body: 'Connecting you to Acme' } });
    expect(res.status).toBe(200);
    const { logid } = (await res.json()) as Placed;
    await h.waitStatus(org, logid, 'bridged');
    const cmd = h.emu.commandLog.find((l) => l.startsWith('bgapi originate'))!;
    expect(cmd).toContain('}sofia/gateway/pstn/+919944421125 ');
    expect(cmd).toContain(`'export:sb_call_id=${logid},playback:/tmp/intro_${logid}.wav,bridge:[origination_uuid=`);
    expect(cmd).toContain(`origination_caller_id_number=${org.did}`);
  });

  it('schedules in a timezone without dialing; hangup cancels; 400 for past/bad times', async () => {
    h = await createCallHarness();
    const org = await h.org();
    const body = { did: org.did, first_phone: '9944421125', second_phone: '9944421126', schedule_datetime: '2099-05-01 10:30', timezone: 'Asia/Kolkata' };
    const res = await h.api.call('POST', '/api/v1/calls/two-party', { token: org.token, body });
    const placed = (await res.json()) as Placed;
    expect(placed).toMatchObject({ status: 'success', message: 'Call scheduled', scheduled_at: '2099-05-01T05:00:00.000Z' });
    expect((await h.waitStatus(org, placed.logid, 'scheduled')).scheduled_at).toBe('2099-05-01T05:00:00.000Z');
    expect(h.emu.commandLog.some((l) => l.includes('originate'))).toBe(false);
    const cancel = await h.api.call('POST', `/api/v1/calls/${placed.logid}/hangup`, { token: org.token });
    expect(((await cancel.json()) as { message: string }).message).toBe('Scheduled call cancelled');
    await h.waitStatus(org, placed.logid, 'cancelled');
    for (const [patch, field] of [[{ schedule_datetime: '2001-01-01 10:00' }, 'schedule_datetime'], [{ schedule_datetime: 'soon' }, 'schedule_datetime'], [{ timezone: 'Mars/Base' }, 'timezone']] as const) {
      const r = await h.api.call('POST', '/api/v1/calls/two-party', { token: org.token, body: { ...body, ...patch } });
      expect(r.status).toBe(400);
      expect(((await r.json()) as Err).details?.fields?.[0]?.field).toBe(field);
    }
  });

  it('downloads a recording with auth; 404 when the file is missing', async () => {
    h = await createCallHarness();
    const org = await h.org();
    const { logid } = (await (await h.api.call('POST', '/api/v1/calls/click-to-call', { token: org.token, body: { did: org.did, ext_no: '1001', phone: '9944421125' } })).json()) as Placed;
    await h.waitStatus(org, logid, 'bridged');
    const [rec] = await h.waitRecordings(org, logid, 1);
    expect((await h.api.call('GET', rec!.url, { token: org.token })).status).toBe(404);
    const path = h.emu.sim!.recordings[0]!;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, Buffer.from('RIFF....WAVEfmt '));
    const dl = await h.api.call('GET', `${rec!.url}?token=${org.token}`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await dl.arrayBuffer()).toString()).toBe('RIFF....WAVEfmt ');
  });

  it('live status and hangup of an inbound call by its log id', async () => {
    h = await createCallHarness();
    const org = await h.org();
    const { callLogs } = h.api.deps.adb.t;
    await h.api.deps.adb.insert(callLogs).values({ id: 'in1', callUuid: 'uuid-in1', orgId: org.orgId, did: org.did, caller: '+919944421125', startedAt: 't', answeredAt: 't', createdAt: 't' });
    expect(await h.waitStatus(org, 'in1', 'answered')).toMatchObject({ type: 'inbound', first_number: '+919944421125' });
    const res = await h.api.call('POST', '/api/v1/calls/in1/hangup', { token: org.token });
    expect(res.status).toBe(409); // the emulator has no such channel: already gone
    await h.api.deps.adb.update(callLogs).set({ endedAt: 't2' }).where(eq(callLogs.id, 'in1'));
    expect((await h.waitStatus(org, 'in1', 'ended')).status).toBe('ended');
    expect((await h.api.call('POST', '/api/v1/calls/in1/hangup', { token: org.token })).status).toBe(409);
  });
});
