import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';

let api: AsyncTestApi;
let kicks = 0;
beforeEach(async () => {
  kicks = 0;
  api = await openTestApi({ webhooks: { kick: () => void kicks++ } });
});
afterEach(() => api.close());

type Hook = { id: string; url: string; events: string[]; enabled: boolean; secret?: string; secret_hint: string; description: string | null };
type Err = { error: string; code: string; details?: { fields?: { field: string }[]; missing_permission?: string; conflict?: { id: string } } };

async function keyWith(org: TestOrg, permissions: string[]): Promise<string> {
  const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions } });
  return ((await res.json()) as { key: string }).key;
}

const create = async (org: TestOrg, body: unknown) => {
  const res = await api.call('POST', '/api/v1/webhooks', { token: org.token, body });
  return { res, json: (await res.json()) as Hook & Err };
};

describe('webhook endpoints', () => {
  it('create returns the secret once; list/get show only a hint', async () => {
    const org = await api.org();
    const { res, json } = await create(org, { url: 'https://crm.example.com/hook', events: ['call.hangup', 'call.*', 'call.hangup'], description: 'CRM' });
    expect(res.status).toBe(201);
    expect(json.secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    expect(json).toMatchObject({ url: 'https://crm.example.com/hook', events: ['call.hangup', 'call.*'], enabled: true, description: 'CRM' });
    const list = (await (await api.call('GET', '/api/v1/webhooks', { token: org.token })).json()) as Hook[];
    expect(list).toHaveLength(1);
    expect(list[0]!.secret).toBeUndefined();
    expect(list[0]!.secret_hint).toBe(`${json.secret!.slice(0, 10)}…`);
    const one = await api.call('GET', `/api/v1/webhooks/${json.id}`, { token: org.token });
    expect(((await one.json()) as Hook).id).toBe(json.id);
    const own = await create(org, { url: 'https://crm.example.com/other', events: ['*'], secret: 'my-own-secret-1234567' });
    expect(own.json.secret).toBe('my-own-secret-1234567');
  });

  it('400 lists bad url, events and secret; 409 on a duplicate URL', async () => {
    const org = await api.org();
    const bad = await create(org, { url: 'ftp://x', events: ['call.exploded'], secret: 'short' });
    expect(bad.res.status).toBe(400);
    expect(bad.json.details?.fields?.map((f) => f.field).sort()).toEqual(['events.0', 'secret', 'url']);
    expect((await create(org, { url: 'https://a.example/h', events: [] })).res.status).toBe(400);
    const first = await create(org, { url: 'https://a.example/h', events: ['*'] });
    const dup = await create(org, { url: 'https://a.example/h', events: ['*'] });
    expect(dup.res.status).toBe(409);
    expect(dup.json.details?.conflict?.id).toBe(first.json.id);
  });

  it('update (partial, rotate secret), delete; 404 across orgs', async () => {
    const a = await api.org();
    const b = await api.org();
    const hook = (await create(a, { url: 'https://a.example/h', events: ['*'] })).json;
    const other = (await create(a, { url: 'https://a.example/other', events: ['*'] })).json;
    const upd = await api.call('PUT', `/api/v1/webhooks/${hook.id}`, { token: a.token, body: { enabled: false, events: ['call.hangup'], rotate_secret: true } });
    expect(upd.status).toBe(200);
    const u = (await upd.json()) as Hook;
    expect(u).toMatchObject({ enabled: false, events: ['call.hangup'], url: 'https://a.example/h' });
    expect(u.secret).toMatch(/^whsec_/);
    expect(u.secret).not.toBe(hook.secret);
    expect((await api.call('PUT', `/api/v1/webhooks/${hook.id}`, { token: a.token, body: { url: other.url } })).status).toBe(409);
    expect((await api.call('PUT', `/api/v1/webhooks/${hook.id}`, { token: a.token, body: { url: 'nope' } })).status).toBe(400);
    for (const [method, path] of [['GET', ''], ['PUT', ''], ['DELETE', ''], ['GET', '/deliveries'], ['GET', '/attempts'], ['POST', '/test']] as const) {
      const res = await api.call(method, `/api/v1/webhooks/${hook.id}${path}`, { token: b.token, body: method === 'PUT' ? { enabled: true } : undefined });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await api.call('DELETE', `/api/v1/webhooks/${hook.id}`, { token: a.token })).status).toBe(204);
    expect((await api.call('GET', `/api/v1/webhooks/${hook.id}`, { token: a.token })).status).toBe(404);
  });

  it('test ping queues a delivery listed under deliveries; disabled endpoint is 409', async () => {
    const org = await api.org();
    const hook = (await create(org, { url: 'https://a.example/h', events: ['call.hangup'] })).json;
    const ping = await api.call('POST', `/api/v1/webhooks/${hook.id}/test`, { token: org.token });
    expect(ping.status).toBe(202);
    const { delivery_id } = (await ping.json()) as { delivery_id: string };
    expect(kicks).toBe(1);
    const page = (await (await api.call('GET', `/api/v1/webhooks/${hook.id}/deliveries?status=pending`, { token: org.token })).json()) as { deliveries: Array<{ id: string; event_type: string; status: string; payload: { type: string; data: unknown } }>; total: number };
    expect(page.total).toBe(1);
    expect(page.deliveries[0]).toMatchObject({ id: delivery_id, event_type: 'webhook.test', status: 'pending', payload: { type: 'webhook.test', data: { webhook_id: hook.id } } });
    expect((await api.call('GET', `/api/v1/webhooks/${hook.id}/deliveries?status=bogus`, { token: org.token })).status).toBe(400);
    const attempts = (await (await api.call('GET', `/api/v1/webhooks/${hook.id}/attempts`, { token: org.token })).json()) as { total: number };
    expect(attempts.total).toBe(0);
    await api.call('PUT', `/api/v1/webhooks/${hook.id}`, { token: org.token, body: { enabled: false } });
    expect((await api.call('POST', `/api/v1/webhooks/${hook.id}/test`, { token: org.token })).status).toBe(409);
  });

  it('401 without credentials; 403 for keys lacking webhook.read / webhook.write', async () => {
    expect((await api.call('GET', '/api/v1/webhooks')).status).toBe(401);
    const org = await api.org();
    const ro = await keyWith(org, ['webhook.read']);
    const none = await keyWith(org, ['call.read']);
    const denied = await api.call('GET', '/api/v1/webhooks', { apiKey: none });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as Err).details?.missing_permission).toBe('webhook.read');
    expect((await api.call('GET', '/api/v1/webhooks', { apiKey: ro })).status).toBe(200);
    const w = await api.call('POST', '/api/v1/webhooks', { apiKey: ro, body: { url: 'https://a.example/h', events: ['*'] } });
    expect(w.status).toBe(403);
    const member = await api.org(undefined, 'member');
    expect((await create(member, { url: 'https://a.example/h', events: ['*'] })).res.status).toBe(403);
  });
});
