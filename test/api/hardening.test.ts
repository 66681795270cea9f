/**
 * Review findings on the management API's edges: how big a 400 may get, bounded inputs, oversize
 * bodies over a real socket, JWTs without `exp`, and API keys that could act beyond their own grants.
 */
import { serve, type ServerType } from '@hono/node-server';
import { sign } from 'hono/jwt';
import { request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';

type Err = { error: string; code: string; details?: { fields?: { field: string; message: string }[]; more?: number; missing_permission?: string } };
type Key = { id: string; key: string; permissions: string[] };

let api: AsyncTestApi;
afterEach(() => api.close());

async function createKey(org: TestOrg, permissions: string[], auth: { token?: string; apiKey?: string } = { token: org.token }) {
  const res = await api.call('POST', '/api/v1/api-keys', { ...auth, body: { name: 'k', permissions } });
  return { res, json: (await res.json()) as Key & Err };
}

describe('400 responses stay small', () => {
  beforeEach(async () => {
    api = await openTestApi();
  });

  it('lists at most 20 failing fields and counts the rest in details.more, with a bounded message', async () => {
    const org = await api.org();
    // 500 agents is within the schema's bound, so every one of them is checked and fails.
    const agents = Array.from({ length: 500 }, (_, i) => ({ extension: `bad-${i}` }));
    const res = await api.call('POST', '/api/v1/queues', { token: org.token, body: { number: '5001', name: 'Sales', agents } });
    expect(res.status).toBe(400);
    const text = await res.text();
    const json = JSON.parse(text) as Err;
    expect(json.code).toBe('validation_error');
    expect(json.details?.fields).toHaveLength(20);
    expect(json.details?.fields?.[0]?.field).toBe('agents.0.extension');
    expect(json.details?.more).toBe(480);
    expect(json.error).toMatch(/; and 480 more$/);
    expect(text.length).toBeLessThan(8_000);
  });

  it('a 700 KB body of bad AI-agent headers answers a few kilobytes, not megabytes', async () => {
    const org = await api.org();
    const headers = Object.fromEntries(Array.from({ length: 35_000 }, (_, i) => [`bad name ${i}`, 'x']));
    expect(JSON.stringify(headers).length).toBeGreaterThan(700_000);
    const res = await api.call('POST', '/api/v1/ai-agents', { token: org.token, body: { name: 'Bot', ws_url: 'wss://a.example/ws', headers } });
    expect(res.status).toBe(400);
    const text = await res.text();
    const json = JSON.parse(text) as Err;
    expect(json.details?.fields).toHaveLength(20);
    expect(json.details!.more! + 20).toBe(Object.keys(headers).length);
    expect(text.length).toBeLessThan(8_000);
  });

  it('a few failing fields are listed as before, without details.more', async () => {
    const org = await api.org();
    const res = await api.call('POST', '/api/v1/webhooks', { token: org.token, body: { url: 'ftp://x', events: ['nope'], secret: 'short' } });
    expect(res.status).toBe(400);
    const json = (await res.json()) as Err;
    expect(json.details?.fields?.map((f) => f.field).sort()).toEqual(['events.0', 'secret', 'url']);
    expect(json.details).not.toHaveProperty('more');
  });

  it('an API key may carry at most 50 grants', async () => {
    const org = await api.org();
    const many = await createKey(org, Array.from({ length: 1000 }, () => 'ivr.read'));
    expect(many.res.status).toBe(400);
    expect(many.json.details?.fields).toEqual([{ field: 'permissions', message: expect.stringMatching(/50/) as unknown as string }]);
    expect((await createKey(org, Array.from({ length: 50 }, () => 'ivr.read'))).res.status).toBe(201);
  });
});

describe('AI-agent headers are bounded', () => {
  beforeEach(async () => {
    api = await openTestApi();
  });

  const create = (org: TestOrg, headers: Record<string, string>) =>
    api.call('POST', '/api/v1/ai-agents', { token: org.token, body: { name: 'Bot', ws_url: 'wss://a.example/ws', headers } });

  it('refuses a header name longer than 100 characters, and clips its path in the error', async () => {
    const org = await api.org();
    expect((await create(org, { ['X'.repeat(100)]: 'v' })).status).toBe(201);
    const long = 'X'.repeat(5_000);
    const res = await create(org, { [long]: 'v' });
    expect(res.status).toBe(400);
    const json = (await res.json()) as Err;
    expect(json.details?.fields).toHaveLength(1);
    expect(json.details!.fields![0]!.field.startsWith('headers.XXX')).toBe(true);
    expect(json.details!.fields![0]!.field.length).toBeLessThanOrEqual(200);
    expect(json.error.length).toBeLessThanOrEqual(2_000);
  });

  it('refuses more than 20 headers, on create and on update', async () => {
    const org = await api.org();
    const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`X-H${i}`, 'v']));
    const ok = await create(org, twenty);
    expect(ok.status).toBe(201);
    const { id } = (await ok.json()) as { id: string };
    const res = await create(org, { ...twenty, 'X-H20': 'v' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Err).details?.fields?.[0]).toMatchObject({ field: 'headers', message: 'at most 20 headers' });
    const upd = await api.call('PUT', `/api/v1/ai-agents/${id}`, { token: org.token, body: { headers: { ...twenty, 'X-H20': 'v' } } });
    expect(upd.status).toBe(400);
  });
});

describe('oversize bodies over a real socket', () => {
  const LIMIT = 1024;
  let server: ServerType;
  let port: number;
  let org: TestOrg;
  beforeEach(async () => {
    api = await openTestApi({}, { BODY_LIMIT_BYTES: String(LIMIT) });
    org = await api.org();
    await new Promise<void>((resolve) => {
      server = serve({ fetch: api.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    (server as Server).closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const bigBody = (bytes: number) => JSON.stringify({ name: 'x'.repeat(bytes), extension: '7001' });

  it('answers 413 with the error JSON and Connection: close (Content-Length known)', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/ivrs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${org.token}` },
      body: bigBody(64 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({ error: `Request body larger than ${LIMIT} bytes`, code: 'payload_too_large' });
    // A body within the limit on a new connection still works.
    const ok = await fetch(`http://127.0.0.1:${port}/api/v1/ivrs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${org.token}` },
      body: JSON.stringify({ name: 'A', extension: '7001' }),
    });
    expect(ok.status).toBe(201);
  });

  it('answers 413 with Connection: close to a chunked upload on a keep-alive connection', async () => {
    const out = await new Promise<{ status?: number; connection?: string; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1', port, method: 'POST', path: '/api/v1/ivrs',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${org.token}`, connection: 'keep-alive', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, body }));
        },
      );
      req.on('error', reject);
      req.write(bigBody(4 * LIMIT));
      req.end();
    });
    expect(out.status).toBe(413);
    expect(out.connection).toBe('close');
    expect((JSON.parse(out.body) as Err).code).toBe('payload_too_large');
  });

  it('closes the socket after the 413 even while the client is still sending', async () => {
    const { head, closed } = await new Promise<{ head: string; closed: boolean }>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (data += d));
      socket.on('error', reject);
      socket.on('close', () => resolve({ head: data, closed: true }));
      socket.write(
        `POST /api/v1/ivrs HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nContent-Type: application/json\r\n` +
          `Authorization: Bearer ${org.token}\r\nContent-Length: ${10 * LIMIT}\r\n\r\n{"name":"`,
      );
    });
    expect(closed).toBe(true);
    expect(head).toMatch(/^HTTP\/1\.1 413 /);
    expect(head).toMatch(/\r\nconnection: close\r\n/i);
    expect(head).toContain('"code":"payload_too_large"');
  });
});

describe('JWTs must expire', () => {
  beforeEach(async () => {
    api = await openTestApi();
  });

  it('refuses a correctly signed token without exp (401), and still accepts one with it', async () => {
    const org = await api.org();
    const secret = api.deps.jwtSecret;
    const iat = Math.floor(Date.now() / 1000);
    const forever = await sign({ sub: org.userId, org: org.orgId, role: 'admin', iat }, secret, 'HS256');
    const res = await api.call('GET', '/api/v1/ivrs', { token: forever });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Err).code).toBe('unauthorized');
    const bounded = await sign({ sub: org.userId, org: org.orgId, role: 'admin', iat, exp: iat + 60 }, secret, 'HS256');
    expect((await api.call('GET', '/api/v1/ivrs', { token: bounded })).status).toBe(200);
  });

  it('refuses a token whose exp is not a number', async () => {
    const org = await api.org();
    const iat = Math.floor(Date.now() / 1000);
    const claims = { sub: org.userId, org: org.orgId, role: 'admin', iat, exp: 'never' } as unknown as Parameters<typeof sign>[0];
    const odd = await sign(claims, api.deps.jwtSecret, 'HS256');
    expect((await api.call('GET', '/api/v1/ivrs', { token: odd })).status).toBe(401);
  });
});

describe('API keys act only within their own grants', () => {
  beforeEach(async () => {
    api = await openTestApi();
  });

  it('a narrow apikey.write key cannot revoke a wider key (403), nor the admin key; an admin user can', async () => {
    const org = await api.org();
    const narrow = (await createKey(org, ['apikey.write', 'ivr.read'])).json;
    const wide = (await createKey(org, ['*'])).json;
    const ivrAll = (await createKey(org, ['ivr.*'])).json;
    for (const target of [wide, ivrAll]) {
      const res = await api.call('DELETE', `/api/v1/api-keys/${target.id}`, { apiKey: narrow.key });
      expect(res.status).toBe(403);
      expect(((await res.json()) as Err).code).toBe('forbidden');
    }
    expect((await api.call('GET', '/api/v1/ivrs', { apiKey: wide.key })).status).toBe(200);
    expect((await api.call('DELETE', `/api/v1/api-keys/${wide.id}`, { token: org.token })).status).toBe(200);
    expect((await api.call('GET', '/api/v1/ivrs', { apiKey: wide.key })).status).toBe(401);
  });

  it('a key may revoke keys whose grants it covers (wildcards included), itself too', async () => {
    const org = await api.org();
    const writer = (await createKey(org, ['apikey.write', 'ivr.*', '*.read'])).json;
    const a = (await createKey(org, ['ivr.write', 'did.read'])).json;
    const b = (await createKey(org, ['ivr.*', '*.read'])).json;
    for (const target of [a, b, writer]) {
      expect((await api.call('DELETE', `/api/v1/api-keys/${target.id}`, { apiKey: writer.key })).status).toBe(200);
    }
  });

  it('a key may create keys only within its own grants; wildcards are compared, not probed', async () => {
    const org = await api.org();
    const writer = (await createKey(org, ['apikey.write', 'ivr.read', '*.read'])).json;
    const as = { apiKey: writer.key };
    expect((await createKey(org, ['ivr.read', 'did.read', '*.read'], as)).res.status).toBe(201);
    for (const wider of [['ivr.*'], ['*'], ['ivr.write'], ['apikey.*'], ['*.write']]) {
      const { res, json } = await createKey(org, wider, as);
      expect(res.status).toBe(403);
      expect(json.details?.missing_permission).toBe(wider[0]);
    }
  });

  it('a key holding an odd grant such as "x.read" cannot turn it into "*.read"', async () => {
    const org = await api.org();
    const odd = (await createKey(org, ['apikey.write', 'x.read'])).json;
    expect((await createKey(org, ['*.read'], { apiKey: odd.key })).res.status).toBe(403);
  });
});
