import { afterEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';

let api: AsyncTestApi;
afterEach(() => api?.close());

describe('GET /api/v1/me', () => {
  it('says who the credentials are and what they may do', async () => {
    api = await openTestApi();
    const admin = await api.org('Acme');
    const member = await api.org('Beta', 'member');
    expect(await (await api.call('GET', '/api/v1/me', { token: admin.token })).json()).toEqual({
      kind: 'user', id: admin.userId, org_id: admin.orgId, role: 'admin', permissions: ['*'], allowed: expect.arrayContaining(['ivr.write', 'did.pool']),
    });
    expect(await (await api.call('GET', '/api/v1/me', { token: member.token })).json()).toMatchObject({ role: 'member', permissions: expect.arrayContaining(['*.read', 'ivr.*']) });
    const created = (await (await api.call('POST', '/api/v1/api-keys', { token: admin.token, body: { name: 'ro', permissions: ['*.read'] } })).json()) as { id: string; key: string };
    expect(await (await api.call('GET', '/api/v1/me', { apiKey: created.key })).json()).toEqual({
      kind: 'api_key', id: created.id, org_id: admin.orgId, role: null, permissions: ['*.read'], allowed: expect.arrayContaining(['ivr.read', 'call.read']),
    });
    const ro = (await (await api.call('GET', '/api/v1/me', { apiKey: created.key })).json()) as { allowed: string[] };
    expect(ro.allowed.filter((p) => !p.endsWith('.read'))).toEqual([]);
    expect((await api.call('GET', '/api/v1/me')).status).toBe(401);
  });
});
