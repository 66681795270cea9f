import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';

let api: AsyncTestApi;
beforeEach(async () => {
  api = await openTestApi();
});
afterEach(() => api.close());

describe('POST /auth/user-login', () => {
  it('returns a JWT and the user for valid credentials', async () => {
    const org = await api.org('Acme');
    const res = await api.call('POST', '/auth/user-login', { body: { email: org.email, password: org.password } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; user: { email: string; role: string; org_id: string } };
    expect(body.token.split('.')).toHaveLength(3);
    expect(body.user).toMatchObject({ email: org.email, role: 'admin', org_id: org.orgId });
  });

  it('is also served under /api/v1 without authentication', async () => {
    const org = await api.org();
    const res = await api.call('POST', '/api/v1/auth/user-login', { body: { email: org.email, password: org.password } });
    expect(res.status).toBe(200);
  });

  it('401 for a wrong password or unknown email, with the same message', async () => {
    const org = await api.org();
    const a = await api.call('POST', '/auth/user-login', { body: { email: org.email, password: 'wrong' } });
    const b = await api.call('POST', '/auth/user-login', { body: { email: 'nobody@example.com', password: 'wrong' } });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(await a.json()).toEqual(await b.json());
  });

  it('400 lists the failing fields', async () => {
    const res = await api.call('POST', '/auth/user-login', { body: { email: 'not-an-email' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; code: string; details: { fields: { field: string }[] } };
    expect(body.code).toBe('validation_error');
    expect(body.details.fields.map((f) => f.field).sort()).toEqual(['email', 'password']);
  });

  it('400, not a crash, for malformed JSON', async () => {
    const res = await api.call('POST', '/auth/user-login', { body: '{"email": ' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string };
    expect(typeof body.error).toBe('string');
  });

  it('413 for an oversized body', async () => {
    const small = await openTestApi({}, { BODY_LIMIT_BYTES: '100' });
    try {
      const res = await small.call('POST', '/auth/user-login', { body: { email: 'a@b.co', password: 'x'.repeat(500) } });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ code: 'payload_too_large' });
    } finally {
      await small.close();
    }
  });
});

describe('authentication on /api/v1', () => {
  it('401 without credentials, with a bad token, and with a bad API key', async () => {
    for (const opts of [{}, { token: 'nope' }, { apiKey: 'ak_nope' }, { apiKey: 'garbage' }]) {
      const res = await api.call('GET', '/api/v1/api-keys', opts);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('unauthorized');
    }
  });

  it('passwords are stored hashed with scrypt', async () => {
    const org = await api.org();
    const { adb } = api.deps;
    const [row] = await adb.select({ password_hash: adb.t.users.passwordHash }).from(adb.t.users).where(eq(adb.t.users.email, org.email));
    expect(row!.password_hash.startsWith('scrypt$')).toBe(true);
    expect(row!.password_hash).not.toContain(org.password);
  });
});

describe('API keys', () => {
  it('create → use → list shows prefix only → revoke → 401', async () => {
    const org = await api.org();
    const created = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'ci', permissions: ['apikey.read'] } });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { id: string; key: string; prefix: string };
    expect(key.key.startsWith('ak_')).toBe(true);
    expect(key.key.startsWith(key.prefix)).toBe(true);

    const listed = await api.call('GET', '/api/v1/api-keys', { apiKey: key.key });
    expect(listed.status).toBe(200);
    const rows = (await listed.json()) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).not.toHaveProperty('key');
    expect(JSON.stringify(rows)).not.toContain(key.key);
    const [stored] = await api.deps.adb.select({ key_hash: api.deps.adb.t.apiKeys.keyHash }).from(api.deps.adb.t.apiKeys);
    expect(stored!.key_hash).not.toContain(key.key);

    const revoked = await api.call('DELETE', `/api/v1/api-keys/${key.id}`, { token: org.token });
    expect(revoked.status).toBe(200);
    expect((await api.call('GET', '/api/v1/api-keys', { apiKey: key.key })).status).toBe(401);
  });

  it('403 names the missing permission', async () => {
    const org = await api.org();
    const created = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'ro', permissions: ['apikey.read'] } });
    const { key } = (await created.json()) as { key: string };
    const res = await api.call('POST', '/api/v1/api-keys', { apiKey: key, body: { name: 'x', permissions: ['*'] } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'forbidden', details: { missing_permission: 'apikey.write' } });
  });

  it('a member cannot mint keys with more than they hold', async () => {
    const org = await api.org('Members', 'member');
    const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'x', permissions: ['*'] } });
    expect(res.status).toBe(403);
  });

  it('400 on a malformed permission', async () => {
    const org = await api.org();
    const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'x', permissions: ['ivr'] } });
    expect(res.status).toBe(400);
  });

  it("another organization's key is a 404 on revoke", async () => {
    const a = await api.org();
    const b = await api.org();
    const created = await api.call('POST', '/api/v1/api-keys', { token: a.token, body: { name: 'a', permissions: ['*'] } });
    const { id } = (await created.json()) as { id: string };
    const res = await api.call('DELETE', `/api/v1/api-keys/${id}`, { token: b.token });
    expect(res.status).toBe(404);
    const listB = (await (await api.call('GET', '/api/v1/api-keys', { token: b.token })).json()) as unknown[];
    expect(listB).toHaveLength(0);
  });
});

describe('system endpoints', () => {
  it('/health answers without auth', async () => {
    const res = await api.call('GET', '/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', switch: { connected: false } });
  });

  it('/openapi.json is OpenAPI 3.1 with the login route', async () => {
    const res = await api.call('GET', '/openapi.json');
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths).toHaveProperty('/auth/user-login');
  });

  it('/docs serves its assets locally', async () => {
    const page = await (await api.call('GET', '/docs')).text();
    expect(page).not.toMatch(/https?:\/\//);
    const js = await api.call('GET', '/docs/assets/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
    expect((await js.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });

  it('unknown routes are a JSON 404', async () => {
    const res = await api.call('GET', '/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found' });
  });
});
