import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { createCallEventBus, type CallEvent, type CallEventBus } from '../../src/domain/call-events.ts';
import { createLiveCallTracker, type LiveCallTracker } from '../../src/services/live-calls/tracker.ts';
import { addIvr } from '../publish/seed-async.ts';

let api: AsyncTestApi | undefined;
let bus: CallEventBus;
let tracker: LiveCallTracker;
afterEach(async () => {
  tracker?.close();
  await api?.close();
  api = undefined;
});

async function setup(env: Record<string, string> = {}): Promise<AsyncTestApi> {
  bus = createCallEventBus();
  tracker = createLiveCallTracker(bus);
  api = await openTestApi({ liveCalls: tracker }, env);
  return api;
}

const at = () => new Date().toISOString();
const ring = (orgId: string, callId: string, did = '+918065978001') =>
  bus.emit({ type: 'call.ringing', callId, orgId, did, caller: '+919944421125', contact: { id: 'c1', name: 'Asha', variables: {} }, at: at() });

/** An open call log row, as another controller instance leaves it while its call goes on. */
async function openRow(orgId: string, did: string): Promise<string> {
  const { adb } = api!.deps;
  const id = randomUUID();
  const started = new Date(Date.now() - 30_000).toISOString();
  await adb.insert(adb.t.callLogs).values({
    id, callUuid: `uuid-${id}`, orgId, direction: 'inbound', did, caller: '+14155550100', startedAt: started, path: [], dtmf: '', createdAt: started,
  });
  return id;
}

describe('the live call tracker', () => {
  it('follows a call through the bus: ringing, answered, menu, keys, whom it is with; gone on hangup', async () => {
    await setup();
    const updates: Array<[string, string | null]> = [];
    const off = tracker.subscribe('org-a', (u) => updates.push([u.event, u.call?.state ?? null]));
    ring('org-a', 'call-1');
    ring('org-b', 'call-2');
    const base = { callId: 'call-1', orgId: 'org-a', at: at() };
    bus.emit({ ...base, type: 'call.answered' });
    bus.emit({ ...base, type: 'call.dtmf', digits: '2' });
    bus.emit({ ...base, type: 'ivr.selection', ivrId: 'ivr-main', digits: '2', action: 'ivr', destination: 'ivr-sales' });
    expect(tracker.list('org-a')).toEqual([
      expect.objectContaining({ callId: 'call-1', did: '+918065978001', contactName: 'Asha', state: 'in_menu', ivrId: 'ivr-sales', digits: '2' }),
    ]);
    bus.emit({ ...base, type: 'call.transferred', target: '5001@acme', kind: 'queue' });
    expect(tracker.list('org-a')[0]).toMatchObject({ state: 'transferred', with: 'queue 5001@acme' });
    bus.emit({ ...base, type: 'call.hangup', cause: 'NORMAL_CLEARING', disposition: 'connected' });
    expect(tracker.list('org-a')).toEqual([]);
    expect(tracker.list('org-b')).toHaveLength(1);
    expect(updates.map((u) => u[0])).toEqual(['call.ringing', 'call.answered', 'call.dtmf', 'ivr.selection', 'call.transferred', 'call.hangup']);
    expect(updates.at(-1)).toEqual(['call.hangup', null]);
    off();
    expect(tracker.listenerCount()).toBe(0);
  });

  it('drops a call whose hangup never came after maxAge', () => {
    bus = createCallEventBus();
    let now = new Date('2026-01-01T10:00:00Z');
    tracker = createLiveCallTracker(bus, { maxAgeMs: 60_000, now: () => now });
    bus.emit({ type: 'call.ringing', callId: 'c', orgId: 'o', did: '+1', caller: '+2', at: now.toISOString() });
    expect(tracker.list('o')).toHaveLength(1);
    now = new Date('2026-01-01T10:02:00Z');
    expect(tracker.list('o')).toHaveLength(0);
  });
});

describe('GET /api/v1/live-calls', () => {
  it("this instance's calls with their menu, and other instances' open rows; the DID's IVR before any key", async () => {
    const api = await setup();
    const org = await api.org();
    const other = await api.org();
    const { adb } = api.deps;
    const ivr = await addIvr(adb, org.orgId, '7001', { name: 'Main menu' });
    await adb.insert(adb.t.liveDids).values({ number: '+918065978002', orgId: org.orgId, didId: 'd1', routingType: 'ivr', routingDestination: ivr.id, updatedAt: at() });
    const rowId = await openRow(org.orgId, '+918065978002');
    await openRow(other.orgId, '+918065978003');
    ring(org.orgId, 'call-here');

    const res = await api.call('GET', '/api/v1/live-calls', { token: org.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { calls: Array<Record<string, unknown>> };
    expect(body.calls).toEqual([
      expect.objectContaining({ call_id: rowId, source: 'other_instance', state: 'in_progress', ivr_id: ivr.id, ivr_name: 'Main menu', caller: '+14155550100' }),
      expect.objectContaining({ call_id: 'call-here', source: 'this_instance', state: 'ringing', contact_name: 'Asha', did: '+918065978001' }),
    ]);
  });

  it('needs call.read', async () => {
    const api = await setup();
    const org = await api.org();
    const key = ((await (await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions: ['ivr.read'] } })).json()) as { key: string }).key;
    const res = await api.call('GET', '/api/v1/live-calls', { apiKey: key });
    expect(res.status).toBe(403);
    expect((await api.call('GET', '/api/v1/live-calls/stream', { apiKey: key })).status).toBe(403);
  });
});

describe('GET /api/v1/live-calls/stream', () => {
  /** Reads server-sent events off a response body. */
  function events(res: Response) {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    return {
      reader,
      async next(): Promise<{ event: string; data: Record<string, unknown> }> {
        for (;;) {
          const end = buffer.indexOf('\n\n');
          if (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
            const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
            return { event, data: JSON.parse(data) as Record<string, unknown> };
          }
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          buffer += decoder.decode(value, { stream: true });
        }
      },
    };
  }

  it('sends a snapshot, an update per call event, snapshots again; the listener goes with the client (query token works)', async () => {
    const api = await setup({ LIVE_CALLS_REFRESH_MS: '300' });
    const org = await api.org();
    const res = await api.call('GET', `/api/v1/live-calls/stream?token=${org.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const stream = events(res);
    expect(await stream.next()).toMatchObject({ event: 'snapshot', data: { calls: [] } });
    expect(tracker.listenerCount(org.orgId)).toBe(1);

    ring(org.orgId, 'call-1');
    const ringing = await stream.next();
    expect(ringing).toMatchObject({ event: 'update', data: { call_id: 'call-1', event: 'call.ringing', call: { state: 'ringing', caller: '+919944421125' } } });
    bus.emit({ type: 'call.hangup', callId: 'call-1', orgId: org.orgId, cause: null, disposition: 'abandoned', at: at() });
    expect(await stream.next()).toMatchObject({ event: 'update', data: { call_id: 'call-1', call: null } });

    await openRow(org.orgId, '+918065978009');
    expect(await stream.next()).toMatchObject({ event: 'snapshot', data: { calls: [expect.objectContaining({ source: 'other_instance' })] } });

    await stream.reader.cancel();
    await expect.poll(() => tracker.listenerCount()).toBe(0);
  });
});
