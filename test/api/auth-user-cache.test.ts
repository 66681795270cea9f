/** A valid JWT whose user was deleted or demoted stops working within AUTH_USER_CACHE_MS, on every instance. */
import { afterEach, expect, it } from 'vitest';
import { sqliteOf } from '../../src/db/client.ts';
import { createTestApi, type TestApi } from '../helpers/api.ts';

let api: TestApi | undefined;
afterEach(() => api?.close());

it('a deleted user is refused once the cached row is older than AUTH_USER_CACHE_MS', async () => {
  let clock = Date.now();
  api = createTestApi({ now: () => new Date(clock) }, { AUTH_USER_CACHE_MS: '1000' });
  const org = await api.org();
  expect((await api.call('GET', '/api/v1/ivrs', { token: org.token })).status).toBe(200);
  sqliteOf(api.deps.db).prepare('delete from users where id = ?').run(org.userId);
  clock += 500;
  expect((await api.call('GET', '/api/v1/ivrs', { token: org.token })).status).toBe(200);
  clock += 600;
  const refused = await api.call('GET', '/api/v1/ivrs', { token: org.token });
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { error: string }).error).toMatch(/no longer exists/);
});

it('a changed role applies within the cache time; with AUTH_USER_CACHE_MS=0 at once', async () => {
  api = createTestApi({}, { AUTH_USER_CACHE_MS: '0' });
  const org = await api.org('Roles', 'admin');
  expect((await api.call('POST', '/api/v1/did-pool/00000000-0000-4000-8000-000000000000/request', { token: org.token })).status).not.toBe(403);
  sqliteOf(api.deps.db).prepare(`update users set role = 'member' where id = ?`).run(org.userId);
  const denied = await api.call('POST', '/api/v1/did-pool/00000000-0000-4000-8000-000000000000/request', { token: org.token });
  expect(denied.status).toBe(403);
});
