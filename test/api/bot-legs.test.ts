/** Bot legs in the API: inside GET /call-logs/{id}, and per agent at GET /ai-agents/{id}/legs. */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';

let api: AsyncTestApi;
beforeEach(async () => {
  api = await openTestApi();
});
afterEach(() => api.close());

type Leg = {
  id: string; call_id: string; call_uuid: string; agent_id: string | null; agent_name: string | null; ws_url: string; dialect: string;
  stream_id: string; started_at: string; ended_at: string; duration_ms: number; dtmf: string; end_reason: string; end_detail: string | null;
  transfer_target: { type: string; value: string } | null; stats: Record<string, number>;
};
type Err = { error: string; code: string; details?: { missing_permission?: string; fields?: { field: string }[] } };

async function keyWith(org: TestOrg, permissions: string[]): Promise<string> {
  const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions } });
  return ((await res.json()) as { key: string }).key;
}

async function agentOf(org: TestOrg, name = 'Support bot'): Promise<string> {
  const res = await api.call('POST', '/api/v1/ai-agents', { token: org.token, body: { name, ws_url: 'wss://bots.example.com/ws' } });
  return ((await res.json()) as { id: string }).id;
}

/** Call logs and bot legs are written by the call controller and the AI bridge; tests insert rows directly. */
async function insertCall(orgId: string): Promise<{ id: string; uuid: string }> {
  const id = randomUUID();
  const uuid = `uuid-${id}`;
  await api.deps.adb.insert(api.deps.adb.t.callLogs).values({
    id, callUuid: uuid, orgId, direction: 'inbound', did: '+918065978001', caller: '+919944421125', startedAt: '2026-04-23T10:00:00.000Z',
    answeredAt: '2026-04-23T10:00:00.000Z', endedAt: '2026-04-23T10:05:00.000Z', durationS: 300, path: [], dtmf: '', disposition: 'bot', answeredBy: null,
    hangupCause: 'NORMAL_CLEARING', createdAt: '2026-04-23T10:00:00.000Z',
  });
  return { id, uuid };
}

async function insertLeg(orgId: string, call: { id: string; uuid: string } | Promise<{ id: string; uuid: string }>, o: { agentId?: string | null; second?: number; endReason?: string; transfer?: boolean; stats?: Record<string, number> } = {}): Promise<string> {
  const { adb } = api.deps;
  const { id: callId, uuid: callUuid } = await call;
  const [row] = await adb.insert(adb.t.botLegs).values({
    callId, callUuid, orgId, agentId: o.agentId ?? null, wsUrl: 'wss://bots.example.com/ws', dialect: 'twilio',
    streamId: `MZ${randomUUID().replace(/-/g, '')}`, startedAt: `2026-04-23T10:00:${String(o.second ?? 1).padStart(2, '0')}.000Z`, durationMs: 12_345, dtmf: '12#',
    endReason: o.endReason ?? (o.transfer ? 'transfer' : 'caller_hangup'), endDetail: null,
    transferTarget: o.transfer ? { type: 'extension', value: '1001' } : null,
    stats: o.stats ?? { framesFromCaller: 617, framesToBot: 617, droppedToBot: 0, framesToCaller: 400, silenceFrames: 217, droppedFromBot: 3, invalidMessages: 1, marks: 2 },
  }).returning();
  return row!.id;
}

const get = async (who: TestOrg | string, path: string) => {
  const res = await api.call('GET', path, typeof who === 'string' ? { apiKey: who } : { token: who.token });
  return { res, json: (await res.json()) as Record<string, unknown> & Err };
};

describe('GET /call-logs/{id} with bot legs', () => {
  it('includes the call\'s bot legs in the order they ran, with agent, timing, DTMF, how each ended and the frame counters', async () => {
    const org = await api.org();
    const agentId = await agentOf(org);
    const call = await insertCall(org.orgId);
    const second = await insertLeg(org.orgId, call, { agentId, second: 40, transfer: true });
    const first = await insertLeg(org.orgId, call, { agentId: null, second: 2, endReason: 'bot_unresponsive' });
    await insertLeg(org.orgId, insertCall(org.orgId), { agentId }); // another call's leg

    const { res, json } = await get(org, `/api/v1/call-logs/${call.id}`);
    expect(res.status).toBe(200);
    const legs = json.bot_legs as Leg[];
    expect(legs.map((l) => l.id)).toEqual([first, second]);
    expect(legs[1]).toEqual({
      id: second, call_id: call.id, call_uuid: call.uuid, agent_id: agentId, agent_name: 'Support bot', ws_url: 'wss://bots.example.com/ws',
      dialect: 'twilio', stream_id: expect.stringMatching(/^MZ/), started_at: '2026-04-23T10:00:40.000Z', ended_at: '2026-04-23T10:00:52.345Z',
      duration_ms: 12_345, dtmf: '12#', end_reason: 'transfer', end_detail: null, transfer_target: { type: 'extension', value: '1001' },
      stats: {
        frames_from_caller: 617, frames_to_bot: 617, dropped_to_bot: 0, frames_to_caller: 400, silence_frames: 217, dropped_from_bot: 3,
        skipped_from_bot: 0, invalid_messages: 1, marks: 2,
      },
    });
    expect(legs[0]).toMatchObject({ agent_id: null, agent_name: null, end_reason: 'bot_unresponsive', transfer_target: null });
    // by call uuid too; a call without a bot has an empty list
    expect(((await get(org, `/api/v1/call-logs/${call.uuid}`)).json.bot_legs as Leg[]).length).toBe(2);
    expect((await get(org, `/api/v1/call-logs/${(await insertCall(org.orgId)).id}`)).json.bot_legs).toEqual([]);
  });

  it('404 for another org\'s call (its legs never leak)', async () => {
    const a = await api.org();
    const b = await api.org();
    const call = await insertCall(a.orgId);
    await insertLeg(a.orgId, call);
    const { res, json } = await get(b, `/api/v1/call-logs/${call.id}`);
    expect(res.status).toBe(404);
    expect(json.bot_legs).toBeUndefined();
  });
});

describe('GET /ai-agents/{id}/legs', () => {
  it('pages the agent\'s legs newest first, with the total; other agents\' and bare-URL legs are not included', async () => {
    const org = await api.org();
    const agentId = await agentOf(org);
    const otherAgent = await agentOf(org, 'Sales bot');
    const ids: string[] = [];
    for (let s = 1; s <= 5; s++) ids.push(await insertLeg(org.orgId, insertCall(org.orgId), { agentId, second: s }));
    await insertLeg(org.orgId, insertCall(org.orgId), { agentId: otherAgent, second: 30 });
    await insertLeg(org.orgId, insertCall(org.orgId), { agentId: null, second: 31 });

    const page1 = await get(org, `/api/v1/ai-agents/${agentId}/legs?limit=2`);
    expect(page1.res.status).toBe(200);
    expect(page1.json).toMatchObject({ total: 5, limit: 2, offset: 0 });
    expect((page1.json.legs as Leg[]).map((l) => l.id)).toEqual([ids[4], ids[3]]);
    const page3 = await get(org, `/api/v1/ai-agents/${agentId}/legs?limit=2&offset=4`);
    expect((page3.json.legs as Leg[]).map((l) => l.id)).toEqual([ids[0]]);
    expect((page3.json.legs as Leg[])[0]).toMatchObject({ agent_id: agentId, agent_name: 'Support bot', end_reason: 'caller_hangup', dtmf: '12#' });
    const all = await get(org, `/api/v1/ai-agents/${agentId}/legs`);
    expect(all.json).toMatchObject({ total: 5, limit: 50, offset: 0 });
    // an agent with no calls yet
    const fresh = await get(org, `/api/v1/ai-agents/${await agentOf(org, 'New bot')}/legs`);
    expect(fresh.json).toEqual({ legs: [], total: 0, limit: 50, offset: 0 });
  });

  it('older rows without the newer counters read as 0', async () => {
    const org = await api.org();
    const agentId = await agentOf(org);
    await insertLeg(org.orgId, insertCall(org.orgId), { agentId, stats: { framesToBot: 5 } });
    const { json } = await get(org, `/api/v1/ai-agents/${agentId}/legs`);
    expect((json.legs as Leg[])[0]!.stats).toMatchObject({ frames_to_bot: 5, skipped_from_bot: 0, marks: 0 });
  });

  it('404 for another org\'s agent or an unknown id; 400 for a bad limit', async () => {
    const a = await api.org();
    const b = await api.org();
    const agentId = await agentOf(a);
    await insertLeg(a.orgId, insertCall(a.orgId), { agentId });
    const cross = await get(b, `/api/v1/ai-agents/${agentId}/legs`);
    expect(cross.res.status).toBe(404);
    expect(cross.json.error).toBe('AI agent not found');
    expect((await get(a, `/api/v1/ai-agents/${randomUUID()}/legs`)).res.status).toBe(404);
    const bad = await get(a, `/api/v1/ai-agents/${agentId}/legs?limit=0`);
    expect(bad.res.status).toBe(400);
    expect(bad.json.details?.fields?.[0]?.field).toBe('limit');
  });

  it('401 without credentials, 403 for a key without agent.read', async () => {
    const org = await api.org();
    const agentId = await agentOf(org);
    expect((await api.call('GET', `/api/v1/ai-agents/${agentId}/legs`)).status).toBe(401);
    const denied = await get(await keyWith(org, ['call.read']), `/api/v1/ai-agents/${agentId}/legs`);
    expect(denied.res.status).toBe(403);
    expect(denied.json.details?.missing_permission).toBe('agent.read');
    expect((await get(await keyWith(org, ['agent.read']), `/api/v1/ai-agents/${agentId}/legs`)).res.status).toBe(200);
  });
});
