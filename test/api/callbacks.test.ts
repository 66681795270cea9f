import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';

let api: AsyncTestApi;
beforeEach(async () => {
  api = await openTestApi();
});
afterEach(() => api.close());

type Callback = { id: string; caller_number: string; did: string | null; ivr_id: string | null; call_uuid: string | null; status: string; createdAt: string };
type Page = { callbacks: Callback[]; total: number; limit: number; offset: number };
type Err = { error: string; code: string; details?: { fields?: { field: string }[]; missing_permission?: string } };

async function keyWith(org: TestOrg, permissions: string[]): Promise<string> {
  const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions } });
  return ((await res.json()) as { key: string }).key;
}

/** Callback requests are written by the call controller; tests insert them directly. */
async function insert(orgId: string, caller: string, minute: number, status = 'pending'): Promise<string> {
  const id = randomUUID();
  const { adb } = api.deps;
  await adb.insert(adb.t.callbackRequests).values({
    id, orgId, callUuid: `uuid-${minute}`, callerNumber: caller, did: '+918065978001', status, createdAt: `2026-04-23T10:${String(minute).padStart(2, '0')}:00.000Z`,
  });
  return id;
}

const list = async (org: TestOrg, query = '') => {
  const res = await api.call('GET', `/api/v1/callbacks${query}`, { token: org.token });
  return { res, json: (await res.json()) as Page & Err };
};

describe('GET /callbacks', () => {
  it("lists the org's requests newest first", async () => {
    const a = await api.org();
    const b = await api.org();
    await insert(a.orgId, '+919900000001', 1);
    await insert(a.orgId, '+919900000003', 3);
    await insert(a.orgId, '+919900000002', 2);
    await insert(b.orgId, '+919900000009', 9);
    const { res, json } = await list(a);
    expect(res.status).toBe(200);
    expect(json).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(json.callbacks.map((c) => c.caller_number)).toEqual(['+919900000003', '+919900000002', '+919900000001']);
    expect(json.callbacks[0]).toMatchObject({ did: '+918065978001', call_uuid: 'uuid-3', ivr_id: null, status: 'pending', createdAt: '2026-04-23T10:03:00.000Z' });
  });

  it('filters by status and paginates', async () => {
    const org = await api.org();
    for (let i = 1; i <= 5; i++) await insert(org.orgId, `+91990000000${i}`, i, i % 2 ? 'pending' : 'done');
    const done = await list(org, '?status=done');
    expect(done.json.total).toBe(2);
    expect(done.json.callbacks.every((c) => c.status === 'done')).toBe(true);
    const page = await list(org, '?limit=2&offset=2');
    expect(page.json).toMatchObject({ total: 5, limit: 2, offset: 2 });
    expect(page.json.callbacks.map((c) => c.caller_number)).toEqual(['+919900000003', '+919900000002']);
  });

  it('400 for a bad status, limit or offset', async () => {
    const org = await api.org();
    for (const q of ['?status=open', '?limit=0', '?limit=500', '?offset=-1', '?limit=abc']) {
      const { res } = await list(org, q);
      expect(res.status, q).toBe(400);
    }
  });

  it('401 without credentials, 403 without callback.read', async () => {
    const org = await api.org();
    expect((await api.call('GET', '/api/v1/callbacks')).status).toBe(401);
    const key = await keyWith(org, ['ivr.read']);
    const res = await api.call('GET', '/api/v1/callbacks', { apiKey: key });
    expect(res.status).toBe(403);
    expect(((await res.json()) as Err).details!.missing_permission).toBe('callback.read');
  });
});

describe('PATCH /callbacks/{id}', () => {
  it('sets the status', async () => {
    const org = await api.org();
    const id = await insert(org.orgId, '+919900000001', 1);
    for (const status of ['done', 'cancelled', 'pending']) {
      const res = await api.call('PATCH', `/api/v1/callbacks/${id}`, { token: org.token, body: { status } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ id, status, caller_number: '+919900000001' });
    }
  });

  it('400 for an unknown status, 404 cross-org and unknown, 403 without callback.write, 401 without credentials', async () => {
    const a = await api.org();
    const b = await api.org();
    const id = await insert(a.orgId, '+919900000001', 1);
    const bad = await api.call('PATCH', `/api/v1/callbacks/${id}`, { token: a.token, body: { status: 'called' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Err).details!.fields![0]!.field).toBe('status');
    expect((await api.call('PATCH', `/api/v1/callbacks/${id}`, { token: b.token, body: { status: 'done' } })).status).toBe(404);
    expect((await api.call('PATCH', `/api/v1/callbacks/${randomUUID()}`, { token: a.token, body: { status: 'done' } })).status).toBe(404);
    const ro = await keyWith(a, ['callback.read']);
    const res = await api.call('PATCH', `/api/v1/callbacks/${id}`, { apiKey: ro, body: { status: 'done' } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as Err).details!.missing_permission).toBe('callback.write');
    expect((await api.call('PATCH', `/api/v1/callbacks/${id}`, { body: { status: 'done' } })).status).toBe(401);
    expect((await list(a)).json.callbacks[0]!.status).toBe('pending');
  });
});
