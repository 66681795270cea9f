import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';

let api: AsyncTestApi;
beforeEach(async () => {
  api = await openTestApi();
});
afterEach(() => api.close());

const storedPassword = async (id: string) => {
  const { adb } = api.deps;
  const [row] = await adb.select({ sip_password: adb.t.extensions.sipPassword }).from(adb.t.extensions).where(eq(adb.t.extensions.id, id));
  return row!;
};

type Ext = { id: string; number: string; name: string; voicemail_enabled: boolean; enabled: boolean; sip_password?: string; createdAt: string; updatedAt: string };
type Err = { error: string; code: string; details?: { fields?: { field: string }[]; conflict?: Record<string, unknown>; missing_permission?: string } };

async function keyWith(org: TestOrg, permissions: string[]): Promise<string> {
  const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions } });
  return ((await res.json()) as { key: string }).key;
}

async function createExt(org: TestOrg, body: Record<string, unknown>) {
  const res = await api.call('POST', '/api/v1/extensions', { token: org.token, body });
  return { res, json: (await res.json()) as Ext & Err };
}

describe('extensions CRUD', () => {
  it('creates with defaults and a generated SIP password shown only once', async () => {
    const org = await api.org();
    const { res, json } = await createExt(org, { number: '1001', name: 'Reception' });
    expect(res.status).toBe(201);
    expect(json).toMatchObject({ number: '1001', name: 'Reception', voicemail_enabled: true, enabled: true });
    expect(json.sip_password!.length).toBeGreaterThanOrEqual(16);
    expect(typeof json.createdAt).toBe('string');
    const stored = await storedPassword(json.id);
    expect(stored.sip_password).toBe(json.sip_password);

    const list = (await (await api.call('GET', '/api/v1/extensions', { token: org.token })).json()) as Ext[];
    expect(list).toHaveLength(1);
    expect(list[0]).not.toHaveProperty('sip_password');
    const one = await api.call('GET', `/api/v1/extensions/${json.id}`, { token: org.token });
    expect(one.status).toBe(200);
    const oneJson = (await one.json()) as Ext;
    expect(oneJson).not.toHaveProperty('sip_password');
    expect(JSON.stringify(oneJson)).not.toContain(json.sip_password!);
  });

  it('keeps a given password and flags', async () => {
    const org = await api.org();
    const { res, json } = await createExt(org, { number: '1002', name: 'Sales', sip_password: 'longenough1', voicemail_enabled: false, enabled: false });
    expect(res.status).toBe(201);
    expect(json).toMatchObject({ sip_password: 'longenough1', voicemail_enabled: false, enabled: false });
  });

  it('lists by number', async () => {
    const org = await api.org();
    await createExt(org, { number: '1003', name: 'C' });
    await createExt(org, { number: '1001', name: 'A' });
    const list = (await (await api.call('GET', '/api/v1/extensions', { token: org.token })).json()) as Ext[];
    expect(list.map((e) => e.number)).toEqual(['1001', '1003']);
  });

  it('400 lists each failing field', async () => {
    const org = await api.org();
    const { res, json } = await createExt(org, { number: '101', name: '', sip_password: 'short' });
    expect(res.status).toBe(400);
    expect(json.details!.fields!.map((f) => f.field).sort()).toEqual(['name', 'number', 'sip_password']);
  });

  it('409 when the number is taken by an extension, a queue or an IVR of the org', async () => {
    const org = await api.org();
    await createExt(org, { number: '1001', name: 'A' });
    const dup = await createExt(org, { number: '1001', name: 'B' });
    expect(dup.res.status).toBe(409);
    expect(dup.json.error).toBe('Extension 1001 is already used by user "A"');
    expect(dup.json.details!.conflict).toMatchObject({ type: 'extension', number: '1001' });

    await api.call('POST', '/api/v1/queues', { token: org.token, body: { number: '5001', name: 'Sales' } });
    const q = await createExt(org, { number: '5001', name: 'X' });
    expect(q.res.status).toBe(409);
    expect(q.json.error).toBe('Extension 5001 is already used by queue "Sales"');

    await api.deps.adb.insert(api.deps.adb.t.ivrs).values({ id: 'i1', orgId: org.orgId, name: 'Main Menu', extension: '7001', createdAt: 'x', updatedAt: 'x' });
    const i = await createExt(org, { number: '7001', name: 'Y' });
    expect(i.res.status).toBe(409);
    expect(i.json.error).toBe('Extension 7001 is already used by IVR "Main Menu"');
  });

  it('numbers taken at once: of three queues, or a queue and an extension, with the same number, one is created and the others are 409s', async () => {
    const org = await api.org();
    const post = (path: string, number: string, name: string) => api.call('POST', `/api/v1/${path}`, { token: org.token, body: { number, name } });
    const queues = await Promise.all([post('queues', '4001', 'A'), post('queues', '4001', 'B'), post('queues', '4001', 'C')]);
    expect(queues.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const mixed = await Promise.all([post('extensions', '4002', 'E'), post('queues', '4002', 'Q')]);
    expect(mixed.map((r) => r.status).sort()).toEqual([201, 409]);
    // An IVR takes its number in the same namespace, also when it comes at the same time as the others.
    const withIvr = await Promise.all([
      api.call('POST', '/api/v1/ivrs', { token: org.token, body: { name: 'Menu', extension: '4003' } }),
      post('extensions', '4003', 'E2'),
      post('queues', '4003', 'Q2'),
    ]);
    expect(withIvr.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('the same number in two organizations is fine', async () => {
    const a = await api.org();
    const b = await api.org();
    expect((await createExt(a, { number: '1001', name: 'A' })).res.status).toBe(201);
    expect((await createExt(b, { number: '1001', name: 'B' })).res.status).toBe(201);
  });

  it('updates partially; the password can change but is never returned', async () => {
    const org = await api.org();
    const { json: ext } = await createExt(org, { number: '1001', name: 'A' });
    const res = await api.call('PUT', `/api/v1/extensions/${ext.id}`, { token: org.token, body: { name: 'Front desk', sip_password: 'new-secret-1', enabled: false } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Ext;
    expect(body).toMatchObject({ number: '1001', name: 'Front desk', enabled: false, voicemail_enabled: true });
    expect(body).not.toHaveProperty('sip_password');
    const stored = await storedPassword(ext.id);
    expect(stored.sip_password).toBe('new-secret-1');
    // Keeping its own number is not a conflict.
    expect((await api.call('PUT', `/api/v1/extensions/${ext.id}`, { token: org.token, body: { number: '1001' } })).status).toBe(200);
  });

  it('PUT: 409 for a taken number, 400 for a bad one', async () => {
    const org = await api.org();
    await createExt(org, { number: '1001', name: 'A' });
    const { json: b } = await createExt(org, { number: '1002', name: 'B' });
    const taken = await api.call('PUT', `/api/v1/extensions/${b.id}`, { token: org.token, body: { number: '1001' } });
    expect(taken.status).toBe(409);
    const bad = await api.call('PUT', `/api/v1/extensions/${b.id}`, { token: org.token, body: { number: 'abcd', sip_password: '123' } });
    expect(bad.status).toBe(400);
  });

  it('DELETE → 204, then 404', async () => {
    const org = await api.org();
    const { json: ext } = await createExt(org, { number: '1001', name: 'A' });
    const del = await api.call('DELETE', `/api/v1/extensions/${ext.id}`, { token: org.token });
    expect(del.status).toBe(204);
    expect(await del.text()).toBe('');
    expect((await api.call('GET', `/api/v1/extensions/${ext.id}`, { token: org.token })).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/extensions/${ext.id}`, { token: org.token })).status).toBe(404);
  });
});

describe('extensions access', () => {
  it('401 without credentials on every endpoint', async () => {
    for (const [m, p] of [['GET', '/api/v1/extensions'], ['POST', '/api/v1/extensions'], ['GET', '/api/v1/extensions/x'], ['PUT', '/api/v1/extensions/x'], ['DELETE', '/api/v1/extensions/x']] as const) {
      expect((await api.call(m, p, m === 'GET' ? {} : { body: {} })).status).toBe(401);
    }
  });

  it('403 names extension.write for a read-only key; the key can still read', async () => {
    const org = await api.org();
    const { json: ext } = await createExt(org, { number: '1001', name: 'A' });
    const ro = await keyWith(org, ['extension.read']);
    expect((await api.call('GET', '/api/v1/extensions', { apiKey: ro })).status).toBe(200);
    for (const [m, p] of [['POST', '/api/v1/extensions'], ['PUT', `/api/v1/extensions/${ext.id}`], ['DELETE', `/api/v1/extensions/${ext.id}`]] as const) {
      const res = await api.call(m, p, { apiKey: ro, body: { number: '1002', name: 'B' } });
      expect(res.status).toBe(403);
      expect(((await res.json()) as Err).details!.missing_permission).toBe('extension.write');
    }
    const none = await keyWith(org, ['ivr.read']);
    const res = await api.call('GET', `/api/v1/extensions/${ext.id}`, { apiKey: none });
    expect(res.status).toBe(403);
    expect(((await res.json()) as Err).details!.missing_permission).toBe('extension.read');
  });

  it("another organization's extension is a 404 everywhere and absent from lists", async () => {
    const a = await api.org();
    const b = await api.org();
    const { json: ext } = await createExt(a, { number: '1001', name: 'A' });
    expect((await api.call('GET', `/api/v1/extensions/${ext.id}`, { token: b.token })).status).toBe(404);
    expect((await api.call('PUT', `/api/v1/extensions/${ext.id}`, { token: b.token, body: { name: 'X' } })).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/extensions/${ext.id}`, { token: b.token })).status).toBe(404);
    expect(await (await api.call('GET', '/api/v1/extensions', { token: b.token })).json()).toEqual([]);
    const still = (await (await api.call('GET', `/api/v1/extensions/${ext.id}`, { token: a.token })).json()) as Ext;
    expect(still.name).toBe('A');
  });
});
