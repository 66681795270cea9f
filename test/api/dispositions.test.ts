import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';

let api: AsyncTestApi;
beforeEach(async () => {
  api = await openTestApi();
});
afterEach(() => api.close());

type Disposition = { id: string; name: string; createdAt: string };
const DEFAULTS = ['Interested', 'Not Interested', 'Call Back Later', 'Wrong Number', 'DND', 'Converted', 'Follow Up Required'];

describe('/dispositions', () => {
  it('seeds the default list once; CRUD with 409 on duplicates and 404 across orgs', async () => {
    const a = await api.org();
    const b = await api.org();
    const list = await api.call('GET', '/api/v1/dispositions', { token: a.token });
    expect(((await list.json()) as Disposition[]).map((d) => d.name)).toEqual(DEFAULTS);
    const created = await api.call('POST', '/api/v1/dispositions', { token: a.token, body: { name: 'Sale' } });
    expect(created.status).toBe(201);
    const sale = (await created.json()) as Disposition;
    expect((await api.call('POST', '/api/v1/dispositions', { token: a.token, body: { name: 'DND' } })).status).toBe(409);
    expect((await api.call('POST', '/api/v1/dispositions', { token: a.token, body: { name: '' } })).status).toBe(400);
    const renamed = await api.call('PUT', `/api/v1/dispositions/${sale.id}`, { token: a.token, body: { name: 'Sold' } });
    expect(((await renamed.json()) as Disposition).name).toBe('Sold');
    expect((await api.call('PUT', `/api/v1/dispositions/${sale.id}`, { token: a.token, body: { name: 'Converted' } })).status).toBe(409);
    expect((await api.call('PUT', `/api/v1/dispositions/${sale.id}`, { token: b.token, body: { name: 'X' } })).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/dispositions/${sale.id}`, { token: b.token })).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/dispositions/${sale.id}`, { token: a.token })).status).toBe(204);
    const member = await api.org(undefined, 'member');
    expect((await api.call('POST', '/api/v1/dispositions', { token: member.token, body: { name: 'Y' } })).status).toBe(403);
  });

  it('first reads at once seed the defaults once, in their order', async () => {
    const org = await api.org();
    const lists = await Promise.all([1, 2, 3].map(async () => (await (await api.call('GET', '/api/v1/dispositions', { token: org.token })).json()) as Disposition[]));
    for (const list of lists) expect(list.map((d) => d.name)).toEqual(DEFAULTS);
    expect(new Set(lists.flat().map((d) => d.id)).size).toBe(DEFAULTS.length);
  });
});
