import { randomUUID } from 'node:crypto';
import { createTestApi } from '/work/main/test/helpers/api.ts';
import { createCallLogWriter } from '/work/main/src/calls/call-log.ts';
import { silentLogger } from '/work/main/src/logging/logger.ts';
import { timeOrderedUuid } from '/work/main/src/db/time-ordered-id.ts';
import { mkdtempSync } from 'node:fs';
const mode = process.argv[2]!; const ckpt = Number(process.argv[3] ?? 1000);
const api = createTestApi({}, { DATA_DIR: mkdtempSync('/tmp/clb-') });
const org = await api.org('x');
api.database.sqlite.pragma(`wal_autocheckpoint = ${ckpt}`);
const w = createCallLogWriter(api.deps.db, silentLogger());
const N = 20000; const inflight: any[] = [];
const mk = () => ({ callId: mode === 'v7' ? timeOrderedUuid(Date.now()) : randomUUID(), uuid: randomUUID(), orgId: org.orgId, masking: null, did: '+918065978001', caller: `+9198${String(Math.floor(Math.random()*1e8)).padStart(8,'0')}`, channel: { callerIdName: 'x' }, record: { answeredAt: null, path: [{step:'ivr'}], dtmf: '21', disposition: 'hangup', answeredBy: null }, snapshot: null });
const c0 = process.cpuUsage(); const t0 = performance.now();
for (let i = 0; i < N; i += 10) {
  const now = new Date().toISOString();
  for (let j = 0; j < 10; j++) { const s = mk(); w.start(s as any, now); inflight.push(s); }
  const done = inflight.splice(0, inflight.length > 150 ? 10 : 0);
  await Promise.all(done.map((s) => w.finish(s as any, now, now, 'NORMAL_CLEARING')));
  await new Promise((r) => setTimeout(r, 1));
}
await Promise.all(inflight.map((s) => w.finish(s as any, '', '', 'x')));
const c = process.cpuUsage(c0);
console.log(mode, ckpt, 'µs CPU/call', ((c.user + c.system) / N).toFixed(1), 'wall ms', (performance.now()-t0).toFixed(0));
api.close();
