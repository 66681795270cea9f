import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';

let api: AsyncTestApi;
beforeEach(async () => {
  api = await openTestApi();
});
afterEach(() => api.close());

type Did = { id: string; number: string; org_id: string | null; routing_type: string | null; routing_destination: string | null; description: string | null; status: string };
type Err = { error: string; code: string; details?: { fields?: { field: string; message: string }[]; missing_permission?: string; conflict?: Record<string, unknown> } };
type History = { action: string; org_id: string | null; actor: { type: string; id: string } | null; detail: Record<string, unknown> | null; createdAt: string };

async function keyWith(org: TestOrg, permissions: string[]): Promise<string> {
  const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions } });
  return ((await res.json()) as { key: string }).key;
}

async function addDid(org: TestOrg, number: string, assign = true, description?: string): Promise<Did> {
  const res = await api.call('POST', '/api/v1/dids', { token: org.token, body: { number, assign, description } });
  expect(res.status).toBe(201);
  return (await res.json()) as Did;
}

const route = (org: TestOrg, id: string, body: Record<string, unknown>) => api.call('PUT', `/api/v1/dids/${id}`, { token: org.token, body });
const liveRows = async () => {
  const { adb } = api.deps;
  const l = adb.t.liveDids;
  return adb.select({ number: l.number, org_id: l.orgId, did_id: l.didId, routing_type: l.routingType, routing_destination: l.routingDestination }).from(l);
};
const history = async (org: TestOrg, id: string) => (await (await api.call('GET', `/api/v1/dids/${id}/history`, { token: org.token })).json()) as History[];

async function insertIvr(orgId: string): Promise<string> {
  const id = randomUUID();
  await api.deps.adb.insert(api.deps.adb.t.ivrs).values({ id, orgId, name: 'Main Menu', extension: '7001', createdAt: 'x', updatedAt: 'x' });
  return id;
}

describe('GET /dids', () => {
  it("lists the org's numbers as a bare array; get one", async () => {
    const a = await api.org();
    const b = await api.org();
    const did = await addDid(a, '+918065978001', true, 'Main line');
    await addDid(b, '+918065978002');
    await addDid(a, '+918065978003', false);
    const res = await api.call('GET', '/api/v1/dids', { token: a.token });
    expect(res.status).toBe(200);
    const list = (await res.json()) as Did[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: did.id, number: '+918065978001', routing_type: null, routing_destination: null, description: 'Main line', status: 'active' });
    const one = await api.call('GET', `/api/v1/dids/${did.id}`, { token: a.token });
    expect(one.status).toBe(200);
    expect(((await one.json()) as Did).number).toBe('+918065978001');
  });

  it('404 for another org, a pool number, or an unknown id', async () => {
    const a = await api.org();
    const b = await api.org();
    const did = await addDid(a, '+918065978001');
    const pool = await addDid(a, '+918065978009', false);
    for (const [org, id] of [[b, did.id], [a, pool.id], [a, randomUUID()]] as const) {
      const res = await api.call('GET', `/api/v1/dids/${id}`, { token: org.token });
      expect(res.status).toBe(404);
      expect(((await res.json()) as Err).error).toBe('DID not found');
    }
  });
});

describe('PUT /dids/{id} routing', () => {
  it('routes to an extension, goes live at once and records history', async () => {
    const org = await api.org();
    await api.call('POST', '/api/v1/extensions', { token: org.token, body: { number: '1001', name: 'A' } });
    const did = await addDid(org, '+918065978001');
    const res = await route(org, did.id, { routing_type: 'extension', routing_destination: '1001', description: 'Reception' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Did & { published: boolean; warnings: string[] };
    expect(body).toMatchObject({ id: did.id, routing_type: 'extension', routing_destination: '1001', description: 'Reception', published: true });
    expect(Array.isArray(body.warnings)).toBe(true);
    expect(await liveRows()).toEqual([{ number: '+918065978001', org_id: org.orgId, did_id: did.id, routing_type: 'extension', routing_destination: '1001' }]);

    const h = await history(org, did.id);
    expect(h.map((r) => r.action)).toEqual(['routed', 'assigned']);
    expect(h[0]).toMatchObject({ org_id: org.orgId, actor: { type: 'user', id: org.userId }, detail: { routing_type: 'extension', routing_destination: '1001', previous: { routing_type: null, routing_destination: null } } });
  });

  it('routes to an IVR by UUID, a queue, an AI agent URL and an external number; live_dids follows each change', async () => {
    const org = await api.org();
    const ivrId = await insertIvr(org.orgId);
    await api.call('POST', '/api/v1/queues', { token: org.token, body: { number: '5001', name: 'Sales' } });
    const did = await addDid(org, '+918065978001');
    for (const [type, dest] of [['ivr', ivrId], ['queue', '5001'], ['ai_agent', 'wss://bots.example.com/ws/1'], ['external', '+919944421125']] as const) {
      const res = await route(org, did.id, { routing_type: type, routing_destination: dest });
      expect(res.status).toBe(200);
      expect(await liveRows()).toMatchObject([{ routing_type: type, routing_destination: dest }]);
    }
    expect((await history(org, did.id)).filter((r) => r.action === 'routed')).toHaveLength(4);
  });

  it('400: an IVR extension instead of its UUID says to use the UUID', async () => {
    const org = await api.org();
    await insertIvr(org.orgId);
    const did = await addDid(org, '+918065978001');
    const res = await route(org, did.id, { routing_type: 'ivr', routing_destination: '7001' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Err;
    expect(body.error).toMatch(/UUID/);
    expect(body.details!.fields![0]!.field).toBe('routing_destination');
    expect(await liveRows()).toEqual([]);
  });

  it('400 for unknown types, missing destinations and bad values; another org\'s IVR does not count', async () => {
    const a = await api.org();
    const b = await api.org();
    const foreignIvr = await insertIvr(b.orgId);
    const did = await addDid(a, '+918065978001');
    const cases: Record<string, unknown>[] = [
      { routing_type: 'voicemail', routing_destination: '1001' },
      { routing_type: 'extension' },
      { routing_type: 'extension', routing_destination: '1001' },
      { routing_type: 'ivr', routing_destination: foreignIvr },
      { routing_type: 'ai_agent', routing_destination: 'https://not-a-socket' },
      { routing_type: 'ai_agent', routing_destination: randomUUID() },
      { routing_type: 'external', routing_destination: '9944421125' },
      { routing_type: 'queue', routing_destination: '5001' },
    ];
    for (const body of cases) {
      const res = await route(a, did.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await history(a, did.id)).map((r) => r.action)).toEqual(['assigned']);
  });

  it('404 cross-org, 403 without did.write, 401 without credentials', async () => {
    const a = await api.org();
    const b = await api.org();
    const did = await addDid(a, '+918065978001');
    const body = { routing_type: 'external', routing_destination: '+919944421125' };
    expect((await route(b, did.id, body)).status).toBe(404);
    const ro = await keyWith(a, ['did.read']);
    const res = await api.call('PUT', `/api/v1/dids/${did.id}`, { apiKey: ro, body });
    expect(res.status).toBe(403);
    expect(((await res.json()) as Err).details!.missing_permission).toBe('did.write');
    expect((await api.call('PUT', `/api/v1/dids/${did.id}`, { body })).status).toBe(401);
    const member = await api.org('Members', 'member');
    expect((await route(member, did.id, body)).status).toBe(404);
  });
});

describe('POST /dids and DELETE /dids/{id} (admin)', () => {
  it('normalizes the number; 409 when it exists anywhere; 400 when it is not a number', async () => {
    const a = await api.org();
    const b = await api.org();
    const did = await addDid(a, '+91 80 6597 8001', false);
    expect(did).toMatchObject({ number: '+918065978001', org_id: null });
    const dup = await api.call('POST', '/api/v1/dids', { token: b.token, body: { number: '08065978001' } });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as Err).details!.conflict).toMatchObject({ type: 'did', number: '+918065978001' });
    const bad = await api.call('POST', '/api/v1/dids', { token: a.token, body: { number: 'call me' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Err).details!.fields![0]!.field).toBe('number');
    expect((await api.call('POST', '/api/v1/dids', { token: a.token, body: {} })).status).toBe(400);
  });

  it('403 for a member and for a key without did.pool; 401 without credentials', async () => {
    const admin = await api.org();
    const member = await api.org('M', 'member');
    const did = await addDid(admin, '+918065978001');
    const res = await api.call('POST', '/api/v1/dids', { token: member.token, body: { number: '+918065978002' } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as Err).details!.missing_permission).toBe('did.pool');
    const key = await keyWith(admin, ['did.read', 'did.write']);
    expect((await api.call('DELETE', `/api/v1/dids/${did.id}`, { apiKey: key })).status).toBe(403);
    expect((await api.call('POST', '/api/v1/dids', { body: { number: '+918065978002' } })).status).toBe(401);
  });

  it('DELETE returns the number to the pool (204) and takes it off the live mapping', async () => {
    const a = await api.org();
    const b = await api.org();
    const did = await addDid(a, '+918065978001');
    await route(a, did.id, { routing_type: 'external', routing_destination: '+919944421125' });
    expect(await liveRows()).toHaveLength(1);
    expect((await api.call('DELETE', `/api/v1/dids/${did.id}`, { token: b.token })).status).toBe(404);
    const res = await api.call('DELETE', `/api/v1/dids/${did.id}`, { token: a.token });
    expect(res.status).toBe(204);
    expect(await liveRows()).toEqual([]);
    expect(await (await api.call('GET', '/api/v1/dids', { token: a.token })).json()).toEqual([]);
    const pool = (await (await api.call('GET', '/api/v1/did-pool', { token: a.token })).json()) as Did[];
    expect(pool.map((d) => d.number)).toEqual(['+918065978001']);
    expect((await api.call('DELETE', `/api/v1/dids/${did.id}`, { token: a.token })).status).toBe(404);
  });
});

describe('DID pool', () => {
  it('lists pool numbers to anyone with did.read', async () => {
    const admin = await api.org();
    const member = await api.org('M', 'member');
    await addDid(admin, '+918065978002', false, 'Bengaluru');
    await addDid(admin, '+918065978001', false);
    await addDid(admin, '+918065978003', true);
    const res = await api.call('GET', '/api/v1/did-pool', { token: member.token });
    expect(res.status).toBe(200);
    const pool = (await res.json()) as Did[];
    expect(pool.map((d) => d.number)).toEqual(['+918065978001', '+918065978002']);
    expect(pool[1]).toMatchObject({ description: 'Bengaluru', status: 'active' });
    const key = await keyWith(admin, ['ivr.read']);
    expect((await api.call('GET', '/api/v1/did-pool', { apiKey: key })).status).toBe(403);
    expect((await api.call('GET', '/api/v1/did-pool')).status).toBe(401);
  });

  it('request assigns a pool number; 409 when not in the pool; another org then gets 404', async () => {
    const a = await api.org('Acme');
    const b = await api.org('Beta');
    const did = await addDid(a, '+918065978001', false);
    const res = await api.call('POST', `/api/v1/did-pool/${did.id}/request`, { token: a.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { message: string; did: Did };
    expect(body.message).toBe('Number assigned to organization Acme');
    expect(body.did).toMatchObject({ id: did.id, org_id: a.orgId });
    expect(((await (await api.call('GET', '/api/v1/dids', { token: a.token })).json()) as Did[]).map((d) => d.id)).toEqual([did.id]);

    const again = await api.call('POST', `/api/v1/did-pool/${did.id}/request`, { token: a.token });
    expect(again.status).toBe(409);
    expect(((await again.json()) as Err).error).toBe('This number is assigned and cannot be requested.');
    expect((await api.call('POST', `/api/v1/did-pool/${did.id}/request`, { token: b.token })).status).toBe(404);
    expect((await api.call('POST', `/api/v1/did-pool/${randomUUID()}/request`, { token: b.token })).status).toBe(404);
  });

  it('release clears routing, removes the live row and keeps the history', async () => {
    const a = await api.org();
    const b = await api.org('Beta');
    const did = await addDid(a, '+918065978001', false);
    await api.call('POST', `/api/v1/did-pool/${did.id}/request`, { token: a.token });
    await route(a, did.id, { routing_type: 'ai_agent', routing_destination: 'wss://bots.example.com/ws/1' });
    expect(await liveRows()).toHaveLength(1);

    expect((await api.call('POST', `/api/v1/did-pool/${did.id}/release`, { token: b.token })).status).toBe(404);
    const res = await api.call('POST', `/api/v1/did-pool/${did.id}/release`, { token: a.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { message: string; did: Did };
    expect(body.message).toBe('DID +918065978001 released to pool');
    expect(body.did).toMatchObject({ org_id: null, routing_type: null, routing_destination: null });
    expect(await liveRows()).toEqual([]);
    expect((await api.call('POST', `/api/v1/did-pool/${did.id}/release`, { token: a.token })).status).toBe(404);
    expect((await api.call('GET', `/api/v1/dids/${did.id}/history`, { token: a.token })).status).toBe(404);

    // The next holder sees the moves but not the previous holder's routing or people.
    await api.call('POST', `/api/v1/did-pool/${did.id}/request`, { token: b.token });
    const h = await history(b, did.id);
    expect(h.map((r) => r.action)).toEqual(['assigned', 'released', 'routed', 'assigned']);
    expect(h[0]).toMatchObject({ org_id: b.orgId, actor: { type: 'user', id: b.userId } });
    for (const row of h.slice(1)) expect(row).toMatchObject({ org_id: null, actor: null, detail: null });
    expect(JSON.stringify(h)).not.toContain('bots.example.com');
  });

  it('member gets 403 naming did.pool on request and release; an API key actor is recorded', async () => {
    const admin = await api.org();
    const member = await api.org('M', 'member');
    const did = await addDid(admin, '+918065978001', false);
    for (const action of ['request', 'release']) {
      const res = await api.call('POST', `/api/v1/did-pool/${did.id}/${action}`, { token: member.token });
      expect(res.status).toBe(403);
      expect(((await res.json()) as Err).details!.missing_permission).toBe('did.pool');
    }
    expect((await api.call('POST', `/api/v1/did-pool/${did.id}/request`)).status).toBe(401);
    const key = await keyWith(admin, ['did.*']);
    const [keyRow] = await api.deps.adb.select({ id: api.deps.adb.t.apiKeys.id }).from(api.deps.adb.t.apiKeys);
    expect((await api.call('POST', `/api/v1/did-pool/${did.id}/request`, { apiKey: key })).status).toBe(200);
    expect((await history(admin, did.id))[0]).toMatchObject({ action: 'assigned', actor: { type: 'api_key', id: keyRow!.id } });
  });

  it('history: 401 and 403 without did.read', async () => {
    const org = await api.org();
    const did = await addDid(org, '+918065978001');
    expect((await api.call('GET', `/api/v1/dids/${did.id}/history`)).status).toBe(401);
    const key = await keyWith(org, ['ivr.*']);
    const res = await api.call('GET', `/api/v1/dids/${did.id}/history`, { apiKey: key });
    expect(res.status).toBe(403);
    expect(((await res.json()) as Err).details!.missing_permission).toBe('did.read');
    expect((await api.call('GET', '/api/v1/dids', { apiKey: key })).status).toBe(403);
    expect((await api.call('GET', '/api/v1/dids')).status).toBe(401);
  });
});
