/**
 * Child process for the API benchmark: serves either the real app (GET /api/v1/ivrs with
 * 20 IVRs) or a bare node:http handler returning the same JSON bytes. Prints "READY <port> <token>".
 */
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createTestApi } from '../test/helpers/api.ts';

const mode = process.argv[2] ?? 'app';
const api = createTestApi({}, { DATA_DIR: mkdtempSync(join(tmpdir(), 'sb-bench-')) });
const org = await api.org('Bench');
for (let i = 0; i < 20; i++) {
  await api.call('POST', '/api/v1/ivrs', { token: org.token, body: { name: `Menu ${i}`, extension: String(7000 + i) } });
}
const sample = await api.call('GET', '/api/v1/ivrs', { token: org.token });
const body = Buffer.from(await sample.text());

if (mode === 'hono') {
  // Framework ceiling: Hono on @hono/node-server returning the same bytes, no auth, no database.
  const { Hono } = await import('hono');
  const bare = new Hono().get('/api/v1/ivrs', (c) => c.body(new Uint8Array(body), 200, { 'content-type': 'application/json' }));
  serve({ fetch: bare.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
    process.stdout.write(`READY ${info.port} ${org.token} ${body.length}\n`);
  });
} else if (mode === 'bare') {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    process.stdout.write(`READY ${typeof addr === 'object' && addr ? addr.port : 0} ${org.token} ${body.length}\n`);
  });
} else {
  serve({ fetch: api.app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
    process.stdout.write(`READY ${info.port} ${org.token} ${body.length}\n`);
  });
}
