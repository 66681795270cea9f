/** A valid JWT whose user was deleted or demoted stops working within AUTH_USER_CACHE_MS, on every instance. */
import { afterEach, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';

let api: AsyncTestApi | undefined;
afterEach(() => api?.close());

it('a deleted user is refused once the cached row is older than AUTH_USER_CACHE_MS', async () => {
  let clock = Date.now();
  api = await openTestApi({ now: () => new Date(clock) }, { AUTH_USER_CACHE_MS: '1000' });
  const org = await api.org();
  expect((await api.call('GET', '/api/v1/ivrs', { token: org.token })).status).toBe(200);
  await api.deps.adb.delete(api.deps.adb.t.users).where(eq(api.deps.adb.t.users.id, org.userId));
  clock += 500;
  expect((await api.call('GET', '/api/v1/ivrs', { token: org.token })).status).toBe(200);
  clock += 600;
  const refused = await api.call('GET', '/api/v1/ivrs', { token: org.token });
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { error: string }).error).toMatch(/no longer exists/);
});

it('a changed role applies within the cache time; with AUTH_USER_CACHE_MS=0 at once', async () => {
  api = await openTestApi({}, { AUTH_USER_CACHE_MS: '0' });
  const org = await api.org('Roles', 'admin');
  expect((await api.call('POST', '/api/v1/did-pool/00000000-0000-4000-8000-000000000000/request', { token: org.token })).status).not.toBe(403);
  await api.deps.adb.update(api.deps.adb.t.users).set({ role: 'member' }).where(eq(api.deps.adb.t.users.id, org.userId));
  const denied = await api.call('POST', '/api/v1/did-pool/00000000-0000-4000-8000-000000000000/request', { token: org.token });
  expect(denied.status).toBe(403);
});
