/**
 * Agents created at the same time each get their own extension number: on SQLite the transactions run one
 * after the other; on PostgreSQL (READ COMMITTED) the organization row is locked while the number is picked
 * (extension-numbers.ts). Only the agents API: runs on both databases.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';

let api: AsyncTestApi;
beforeEach(async () => {
  api = await openTestApi();
});
afterEach(() => api.close());

it('concurrent creations get distinct next free numbers; a taken email is still a 409', async () => {
  const org = await api.org();
  const create = (i: number, email = `agent${i}@example.com`) =>
    api.call('POST', '/api/v1/agents', { token: org.token, body: { name: `Agent ${i}`, email, password: 'Sunrise2026x' } });
  const responses = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((i) => create(i)));
  expect(responses.map((r) => r.status)).toEqual(Array(8).fill(201));
  const numbers = await Promise.all(responses.map(async (r) => ((await r.json()) as { extension: { number: string } }).extension.number));
  expect([...numbers].sort()).toEqual(['1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008']);

  const dup = await Promise.all([create(9, 'same@example.com'), create(10, 'same@example.com')]);
  expect(dup.map((r) => r.status).sort()).toEqual([201, 409]);
  const list = (await (await api.call('GET', '/api/v1/agents?limit=50', { token: org.token })).json()) as { total: number };
  expect(list.total).toBe(9);
});
