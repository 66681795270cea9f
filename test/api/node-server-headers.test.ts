/**
 * Under @hono/node-server, headers are read from Node's parsed request (not a fetch Headers object)
 * and GET /ivrs answers with plain headers: check the whole path over a real socket.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';

let api: AsyncTestApi;
let org: TestOrg;
let server: ServerType;
let base: string;
beforeEach(async () => {
  api = await openTestApi();
  org = await api.org();
  await new Promise<void>((resolve) => {
    server = serve({ fetch: api.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await api.close();
});

it('authenticates by Bearer header, ?token= and X-API-Key, and refuses a malformed Authorization', async () => {
  await api.call('POST', '/api/v1/ivrs', { token: org.token, body: { name: 'A', extension: '7001' } });
  const bearer = await fetch(`${base}/api/v1/ivrs`, { headers: { authorization: `Bearer ${org.token}` } });
  expect(bearer.status).toBe(200);
  expect(((await bearer.json()) as unknown[]).length).toBe(1);
  expect((await fetch(`${base}/api/v1/ivrs?token=${org.token}`)).status).toBe(200);
  const key = (await (await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions: ['ivr.read'] } })).json()) as { key: string };
  expect((await fetch(`${base}/api/v1/ivrs`, { headers: { 'x-api-key': key.key } })).status).toBe(200);
  const basic = await fetch(`${base}/api/v1/ivrs`, { headers: { authorization: 'Basic abc' } });
  expect(basic.status).toBe(401);
  expect(((await basic.json()) as { code: string }).code).toBe('unauthorized');
  expect((await fetch(`${base}/api/v1/ivrs`)).status).toBe(401);
});

it('echoes a valid X-Request-Id (or makes one) on the plain-header list response, and 304s on If-None-Match', async () => {
  const first = await fetch(`${base}/api/v1/ivrs`, { headers: { authorization: `Bearer ${org.token}`, 'x-request-id': 'trace-123' } });
  expect(first.headers.get('x-request-id')).toBe('trace-123');
  expect(first.headers.get('content-type')).toBe('application/json');
  expect(first.headers.get('cache-control')).toBe('private, no-cache');
  const etag = first.headers.get('etag')!;
  const second = await fetch(`${base}/api/v1/ivrs`, { headers: { authorization: `Bearer ${org.token}`, 'if-none-match': etag } });
  expect(second.status).toBe(304);
  expect(second.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  const other = await fetch(`${base}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
  expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});
