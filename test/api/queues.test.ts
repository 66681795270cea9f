import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';

let api: AsyncTestApi;
beforeEach(async () => {
  api = await openTestApi();
});
afterEach(() => api.close());

type Agent = { extension: string; extension_id: string; name: string; level: number; position: number };
type Queue = {
  id: string; number: string; name: string; strategy: string; moh_sound: string; max_wait_time: number;
  tier_rules_apply: boolean; discard_abandoned_after: number; agents: Agent[]; fs_name: string; createdAt: string; updatedAt: string;
};
type Err = { error: string; code: string; details?: { fields?: { field: string; message: string }[]; missing_permission?: string; conflict?: Record<string, unknown> } };

async function keyWith(org: TestOrg, permissions: string[]): Promise<string> {
  const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions } });
  return ((await res.json()) as { key: string }).key;
}

async function ext(org: TestOrg, number: string, name = `Ext ${number}`) {
  const res = await api.call('POST', '/api/v1/extensions', { token: org.token, body: { number, name } });
  expect(res.status).toBe(201);
}

async function createQueue(org: TestOrg, body: Record<string, unknown>) {
  const res = await api.call('POST', '/api/v1/queues', { token: org.token, body });
  return { res, json: (await res.json()) as Queue & Err };
}

describe('queues CRUD', () => {
  it('creates with defaults, agents by extension number and the FreeSWITCH name', async () => {
    const org = await api.org();
    await ext(org, '1001', 'Asha');
    await ext(org, '1002', 'Ravi');
    const { res, json } = await createQueue(org, { number: '5001', name: 'Sales', agents: [{ extension: '1002' }, { extension: '1001', level: 2, position: 7 }] });
    expect(res.status).toBe(201);
    expect(json).toMatchObject({
      number: '5001', name: 'Sales', strategy: 'longest-idle-agent', moh_sound: 'local_stream://moh', max_wait_time: 300,
      tier_rules_apply: false, discard_abandoned_after: 60, fs_name: `5001@${org.sipDomain}`,
    });
    expect(json.agents.map(({ extension, name, level, position }) => ({ extension, name, level, position }))).toEqual([
      { extension: '1002', name: 'Ravi', level: 1, position: 1 },
      { extension: '1001', name: 'Asha', level: 2, position: 7 },
    ]);

    const list = (await (await api.call('GET', '/api/v1/queues', { token: org.token })).json()) as Queue[];
    expect(list).toHaveLength(1);
    expect(list[0]!.agents).toHaveLength(2);
    const one = await api.call('GET', `/api/v1/queues/${json.id}`, { token: org.token });
    expect(one.status).toBe(200);
    expect(((await one.json()) as Queue).fs_name).toBe(`5001@${org.sipDomain}`);
  });

  it('accepts every mod_callcenter strategy and rejects others', async () => {
    const org = await api.org();
    const strategies = ['ring-all', 'longest-idle-agent', 'round-robin', 'top-down', 'agent-with-least-talk-time',
      'agent-with-fewest-calls', 'sequentially-by-agent-order', 'random', 'ring-progressively'];
    for (const [i, strategy] of strategies.entries()) {
      const { res } = await createQueue(org, { number: `50${10 + i}`, name: strategy, strategy, max_wait_time: 0 });
      expect(res.status).toBe(201);
    }
    const bad = await createQueue(org, { number: '5099', name: 'x', strategy: 'round_robin' });
    expect(bad.res.status).toBe(400);
    expect(bad.json.details!.fields!.map((f) => f.field)).toEqual(['strategy']);
  });

  it('400 names an agent extension that does not exist in the org, and duplicate agents', async () => {
    const a = await api.org();
    const b = await api.org();
    await ext(a, '1001');
    await ext(b, '1009');
    const missing = await createQueue(a, { number: '5001', name: 'S', agents: [{ extension: '1001' }, { extension: '1009' }] });
    expect(missing.res.status).toBe(400);
    expect(missing.json.error).toContain('1009');
    expect(missing.json.details!.fields).toEqual([{ field: 'agents.1.extension', message: 'extension 1009 does not exist in this organization' }]);
    const dup = await createQueue(a, { number: '5001', name: 'S', agents: [{ extension: '1001' }, { extension: '1001' }] });
    expect(dup.res.status).toBe(400);
    expect((await api.call('GET', '/api/v1/queues', { token: a.token }).then((r) => r.json())) as unknown[]).toHaveLength(0);
  });

  it('400 for bad fields', async () => {
    const org = await api.org();
    const { res, json } = await createQueue(org, { number: '50', name: 'S', max_wait_time: -1, tier_rules_apply: 'yes' });
    expect(res.status).toBe(400);
    expect(json.details!.fields!.map((f) => f.field).sort()).toEqual(['max_wait_time', 'number', 'tier_rules_apply']);
  });

  it('409 when the number is held by an extension or another queue', async () => {
    const org = await api.org();
    await ext(org, '1001', 'Asha');
    const e = await createQueue(org, { number: '1001', name: 'S' });
    expect(e.res.status).toBe(409);
    expect(e.json.error).toBe('Extension 1001 is already used by user "Asha"');
    await createQueue(org, { number: '5001', name: 'Sales' });
    const q = await createQueue(org, { number: '5001', name: 'Other' });
    expect(q.res.status).toBe(409);
    expect(q.json.details!.conflict).toMatchObject({ type: 'queue', name: 'Sales' });
  });

  it('PUT replaces the agent list; a bad agent changes nothing', async () => {
    const org = await api.org();
    await ext(org, '1001');
    await ext(org, '1002');
    await ext(org, '1003');
    const { json: q } = await createQueue(org, { number: '5001', name: 'S', agents: [{ extension: '1001' }, { extension: '1002' }] });

    const res = await api.call('PUT', `/api/v1/queues/${q.id}`, { token: org.token, body: { strategy: 'top-down', agents: [{ extension: '1003' }] } });
    expect(res.status).toBe(200);
    const updated = (await res.json()) as Queue;
    expect(updated.strategy).toBe('top-down');
    expect(updated.name).toBe('S');
    expect(updated.agents.map((a) => a.extension)).toEqual(['1003']);

    const bad = await api.call('PUT', `/api/v1/queues/${q.id}`, { token: org.token, body: { name: 'Renamed', agents: [{ extension: '1001' }, { extension: '4444' }] } });
    expect(bad.status).toBe(400);
    const after = (await (await api.call('GET', `/api/v1/queues/${q.id}`, { token: org.token })).json()) as Queue;
    expect(after.name).toBe('S');
    expect(after.agents.map((a) => a.extension)).toEqual(['1003']);

    // Without `agents` the list is kept.
    const keep = (await (await api.call('PUT', `/api/v1/queues/${q.id}`, { token: org.token, body: { max_wait_time: 0 } })).json()) as Queue;
    expect(keep.max_wait_time).toBe(0);
    expect(keep.agents).toHaveLength(1);
    const cleared = (await (await api.call('PUT', `/api/v1/queues/${q.id}`, { token: org.token, body: { agents: [] } })).json()) as Queue;
    expect(cleared.agents).toEqual([]);
  });

  it('PUT: new number shows in fs_name; 409 for a taken number', async () => {
    const org = await api.org();
    await ext(org, '1001');
    const { json: q } = await createQueue(org, { number: '5001', name: 'S' });
    const moved = (await (await api.call('PUT', `/api/v1/queues/${q.id}`, { token: org.token, body: { number: '5002' } })).json()) as Queue;
    expect(moved.fs_name).toBe(`5002@${org.sipDomain}`);
    expect((await api.call('PUT', `/api/v1/queues/${q.id}`, { token: org.token, body: { number: '1001' } })).status).toBe(409);
    expect((await api.call('PUT', `/api/v1/queues/${q.id}`, { token: org.token, body: { number: '5002' } })).status).toBe(200);
  });

  it('deleting an extension removes it from queues', async () => {
    const org = await api.org();
    await ext(org, '1001');
    const { json: q } = await createQueue(org, { number: '5001', name: 'S', agents: [{ extension: '1001' }] });
    await api.call('DELETE', `/api/v1/extensions/${q.agents[0]!.extension_id}`, { token: org.token });
    const after = (await (await api.call('GET', `/api/v1/queues/${q.id}`, { token: org.token })).json()) as Queue;
    expect(after.agents).toEqual([]);
  });

  it('DELETE → 204, then 404', async () => {
    const org = await api.org();
    await ext(org, '1001');
    const { json: q } = await createQueue(org, { number: '5001', name: 'S', agents: [{ extension: '1001' }] });
    expect((await api.call('DELETE', `/api/v1/queues/${q.id}`, { token: org.token })).status).toBe(204);
    expect((await api.call('GET', `/api/v1/queues/${q.id}`, { token: org.token })).status).toBe(404);
    const { adb } = api.deps;
    expect(await adb.select({ n: count() }).from(adb.t.queueAgents)).toEqual([{ n: 0 }]);
  });
});

describe('queues access', () => {
  it('401 without credentials', async () => {
    for (const [m, p] of [['GET', '/api/v1/queues'], ['POST', '/api/v1/queues'], ['GET', '/api/v1/queues/x'], ['PUT', '/api/v1/queues/x'], ['DELETE', '/api/v1/queues/x']] as const) {
      expect((await api.call(m, p, m === 'GET' ? {} : { body: {} })).status).toBe(401);
    }
  });

  it('403 names the missing permission', async () => {
    const org = await api.org();
    const { json: q } = await createQueue(org, { number: '5001', name: 'S' });
    const ro = await keyWith(org, ['queue.read']);
    expect((await api.call('GET', `/api/v1/queues/${q.id}`, { apiKey: ro })).status).toBe(200);
    for (const [m, p] of [['POST', '/api/v1/queues'], ['PUT', `/api/v1/queues/${q.id}`], ['DELETE', `/api/v1/queues/${q.id}`]] as const) {
      const res = await api.call(m, p, { apiKey: ro, body: { number: '5002', name: 'T' } });
      expect(res.status).toBe(403);
      expect(((await res.json()) as Err).details!.missing_permission).toBe('queue.write');
    }
    const other = await keyWith(org, ['extension.*']);
    const res = await api.call('GET', '/api/v1/queues', { apiKey: other });
    expect(res.status).toBe(403);
    expect(((await res.json()) as Err).details!.missing_permission).toBe('queue.read');
  });

  it("another organization's queue is a 404 everywhere", async () => {
    const a = await api.org();
    const b = await api.org();
    const { json: q } = await createQueue(a, { number: '5001', name: 'S' });
    expect((await api.call('GET', `/api/v1/queues/${q.id}`, { token: b.token })).status).toBe(404);
    expect((await api.call('PUT', `/api/v1/queues/${q.id}`, { token: b.token, body: { name: 'X' } })).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/queues/${q.id}`, { token: b.token })).status).toBe(404);
    expect(await (await api.call('GET', '/api/v1/queues', { token: b.token })).json()).toEqual([]);
  });
});
