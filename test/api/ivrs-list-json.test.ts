/** GET /ivrs is built by the database (SQLite or PostgreSQL) as JSON; it must equal the object-by-object mapping used elsewhere. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { listIvrsWithMenus } from '../../src/services/ivrs/queries.ts';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { addExtension } from './ivrs.fixtures.ts';

let api: AsyncTestApi;
beforeEach(async () => {
  api = await openTestApi();
});
afterEach(() => api.close());

it('the SQL-built list equals the mapped DTOs, including menus, booleans, JSON columns and order', async () => {
  const org = await api.org();
  const other = await api.org();
  const call = (m: string, p: string, body?: unknown) => api.call(m, p, { token: org.token, body });
  await addExtension(api, org.orgId, '1001', 'A'); // inserted: the extensions routes are not on the async handle yet
  const a = (await (await call('POST', '/api/v1/ivrs', { name: 'A', extension: '7001', enable_direct_dial: true, direct_dial_policy: 'allow_list', direct_dial_list: ['1001'] })).json()) as { id: string };
  await call('POST', '/api/v1/ivrs', { name: 'B "quoted" ü', extension: '7002', timeout_destination: { type: 'extension', value: '1001' }, timeout_retries: 2 });
  await call('PUT', `/api/v1/ivrs/${a.id}/menu`, { options: [
    { digit: '9', action_type: 'hangup', action_destination: null },
    { digit: '1', action_type: 'extension', action_destination: '1001', description: 'Sales' },
    { digit: '*', action_type: 'repeat', action_destination: null },
  ] });
  await api.call('POST', '/api/v1/ivrs', { token: other.token, body: { name: 'Other', extension: '7001' } });

  const res = await call('GET', '/api/v1/ivrs');
  expect(res.headers.get('content-type')).toContain('application/json');
  const body = (await res.json()) as unknown;
  expect(body).toEqual(JSON.parse(JSON.stringify(await listIvrsWithMenus(api.deps.adb, org.orgId))));
  expect((body as { menuOptions: { digit: string; order: number }[] }[])[1]!.menuOptions.map((o) => [o.digit, o.order])).toEqual([['9', 0], ['1', 1], ['*', 2]]);

  const empty = await api.org();
  expect(await (await api.call('GET', '/api/v1/ivrs', { token: empty.token })).json()).toEqual([]);
});
