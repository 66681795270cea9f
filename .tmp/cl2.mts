import { randomUUID } from 'node:crypto';
import { createTestApi } from '/work/main/test/helpers/api.ts';
import { mkdtempSync } from 'node:fs';
const variant = process.argv[2]!;
const api = createTestApi({}, { DATA_DIR: mkdtempSync('/tmp/clb-') });
const org = await api.org('x');
const db = api.database.sqlite;
if (variant.includes('noidx')) for (const i of ['call_logs_uuid_idx','call_logs_caller_idx','call_logs_org_type_started_idx']) db.exec(`drop index ${i}`);
if (variant.includes('notrig')) { db.exec('drop trigger call_logs_feed_update'); }
if (variant.includes('nofk')) db.pragma('foreign_keys = OFF');
if (variant.includes('sync0')) db.pragma('synchronous = OFF');
const ins = db.prepare(`insert into call_logs (id, call_uuid, org_id, direction, did, caller, caller_name, started_at, path, dtmf, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, '[]', '', ?)`);
const fin = db.prepare(`update call_logs set answered_at = ?, ended_at = ?, duration_s = ?, path = ?, dtmf = ?, disposition = ?, answered_by = ?, hangup_cause = ?, snapshot_version = ? where id = ?`);
const N = 20000; const ids: string[] = [];
const tx = db.transaction((ops: (() => void)[]) => { for (const o of ops) o(); });
const c0 = process.cpuUsage();
for (let i = 0; i < N; i += 10) {
  const now = new Date().toISOString(); const ops: (() => void)[] = [];
  for (let j = 0; j < 10; j++) { const id = randomUUID(); ids.push(id); ops.push(() => ins.run(id, randomUUID(), org.orgId, 'inbound', '+918065978001', `+9198${Math.floor(Math.random()*1e8)}`, 'x', now, now)); }
  if (ids.length > 150) for (const id of ids.splice(0, 10)) ops.push(() => fin.run(now, now, 3, '[{"step":"ivr"}]', '21', 'hangup', null, 'NORMAL_CLEARING', 1, id));
  tx(ops);
}
const c = process.cpuUsage(c0);
console.log(variant, 'µs CPU/call', ((c.user + c.system) / N).toFixed(1));
api.close();
