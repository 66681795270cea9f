import { afterEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { addExtension } from '../publish/seed-async.ts';
import type { RegistrationInfo, RegistrationSource } from '../../src/services/extensions/registrations.ts';

let api: AsyncTestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

type Ext = { id: string; number: string; owner: { name: string } | null; registration: Record<string, unknown> };

function fakeSource(byDomain: Record<string, Record<string, RegistrationInfo>>, asked: string[] = []): RegistrationSource {
  return {
    registrations(domain) {
      asked.push(domain);
      return Promise.resolve(new Map(Object.entries(byDomain[domain] ?? {})));
    },
  };
}

describe('GET /api/v1/extensions with owner and registration', () => {
  it('reports each extension\'s live registration and its agent', async () => {
    const asked: string[] = [];
    let domain = '';
    api = await openTestApi({ registrations: { registrations: (d) => fakeSource({ [domain]: { '1002': { contact: 'sip:1002@192.0.2.10:5062', expiresAt: '2026-03-01T11:00:00.000Z', userAgent: 'Zoiper' } } }, asked).registrations(d) } });
    const org = await api.org();
    domain = org.sipDomain;
    await addExtension(api.deps.adb, org.orgId, '1001');
    const created = await api.call('POST', '/api/v1/agents', { token: org.token, body: { name: 'Asha', email: 'asha@example.com', password: 'Sunrise2026x' } });
    expect(created.status).toBe(201);
    const list = (await (await api.call('GET', '/api/v1/extensions', { token: org.token })).json()) as Ext[];
    expect(list.map((e) => [e.number, e.owner?.name ?? null, e.registration])).toEqual([
      ['1001', null, { registered: false }],
      ['1002', 'Asha', { registered: true, contact: 'sip:1002@192.0.2.10:5062', expires_at: '2026-03-01T11:00:00.000Z', user_agent: 'Zoiper' }],
    ]);
    expect(asked).toEqual([org.sipDomain]); // one question for the whole list
    const one = (await (await api.call('GET', `/api/v1/extensions/${list[1]!.id}`, { token: org.token })).json()) as Ext;
    expect(one.registration).toMatchObject({ registered: true });
  });

  it('without a switch, or when it fails, the state is switch_unavailable and the list still answers', async () => {
    api = await openTestApi();
    const org = await api.org();
    await addExtension(api.deps.adb, org.orgId, '1001');
    const res = await api.call('GET', '/api/v1/extensions', { token: org.token });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Ext[])[0]!.registration).toEqual({ registered: null, reason: 'switch_unavailable' });
    await api.close();

    api = await openTestApi({ registrations: { registrations: () => Promise.reject(new Error('timeout')) } });
    const org2 = await api.org();
    const ext = await addExtension(api.deps.adb, org2.orgId, '1001');
    const one = await api.call('GET', `/api/v1/extensions/${ext.id}`, { token: org2.token });
    expect(one.status).toBe(200);
    expect(((await one.json()) as Ext).registration).toEqual({ registered: null, reason: 'switch_unavailable' });
  });
});
