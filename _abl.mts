import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createTestApi } from './test/helpers/api.ts';
import { httpLoad } from './bench/load.ts';
const api = createTestApi();
const org = await api.org();
for (let i = 0; i < 20; i++) await api.call('POST', '/api/v1/ivrs', { token: org.token, body: { name: `Menu ${i}`, extension: String(7000 + i) } });
const body = Buffer.from(await (await api.call('GET', '/api/v1/ivrs', { token: org.token })).text());
const hb = Buffer.from(await (await api.call('GET', '/health')).text());
const ref = new Hono().get('/api/v1/ivrs', (c) => c.body(new Uint8Array(body), 200, { 'content-type': 'application/json' })).get('/health', (c) => c.body(new Uint8Array(hb), 200, { 'content-type': 'application/json' }));
const port = (f: any) => new Promise<number>((r) => serve({ fetch: f, hostname: '127.0.0.1', port: 0 }, (i) => r(i.port)));
const pRef = await port(ref.fetch);
const pApp = await port(api.app.fetch);
const h = { authorization: `Bearer ${org.token}` };
const targets = { 'ref ivrs': `http://127.0.0.1:${pRef}/api/v1/ivrs`, 'app ivrs': `http://127.0.0.1:${pApp}/api/v1/ivrs`, 'ref health': `http://127.0.0.1:${pRef}/health`, 'app health': `http://127.0.0.1:${pApp}/health` } as Record<string, string>;
const res: Record<string, number[]> = {};
for (const u of Object.values(targets)) await httpLoad(u, { concurrency: 16, seconds: 1, headers: h });
for (let round = 0; round < 5; round++) for (const [k, u] of Object.entries(targets)) {
  const c0 = process.cpuUsage(); const r = await httpLoad(u, { concurrency: 16, seconds: 1.5, headers: h }); const c = process.cpuUsage(c0);
  (res[k] ??= []).push((c.user + c.system) / r.requests);
}
for (const [k, v] of Object.entries(res)) { v.sort((a, b) => a - b); console.log(k.padEnd(12), 'median CPU µs/req', v[2]!.toFixed(1), ' all', v.map((x) => x.toFixed(0)).join(' ')); }
process.exit(0);
