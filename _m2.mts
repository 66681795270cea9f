import { Hono } from 'hono';
const app = new Hono().get('/health', (c) => c.json({ ok: true }));
const h = { authorization: `Bearer x` };
async function run(path: string, n: number) {
  const t = performance.now();
  for (let i = 0; i < n; i++) { const r = await app.fetch(new Request('http://x' + path, { headers: h })); await r.arrayBuffer(); }
  return ((performance.now() - t) * 1000) / n;
}
for (let k = 0; k < 3; k++) console.log('bare hono health', (await run('/health', 20000)).toFixed(1));
