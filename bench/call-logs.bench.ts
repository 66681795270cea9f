/** GET /api/v1/call-logs latency with 100,000 rows (indexes in place), beside the bare indexed SQLite query. */
import { randomUUID } from 'node:crypto';
import { createTestApi } from '../test/helpers/api.ts';
import { printTable } from './table.ts';

function pct(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export async function benchCallLogs(rows = 100_000, requests = 300): Promise<void> {
  const api = createTestApi();
  try {
    const org = await api.org();
    const other = await api.org();
    const sqlite = api.database.sqlite;
    const insert = sqlite.prepare(`insert into call_logs (id, call_uuid, org_id, direction, did, caller, started_at, answered_at, ended_at, duration_s, path, dtmf, created_at)
      values (?, ?, ?, ?, '+918065978001', ?, ?, ?, ?, 30, '[]', '', ?)`);
    const types = ['inbound', 'inbound', 'inbound', 'click_to_call', 'masking'];
    sqlite.transaction(() => {
      const base = Date.parse('2026-01-01T00:00:00Z');
      for (let i = 0; i < rows; i++) {
        const at = new Date(base + i * 30_000).toISOString();
        insert.run(randomUUID(), randomUUID(), i % 10 === 0 ? other.orgId : org.orgId, types[i % 5], `+9199${String(i % 5000).padStart(8, '0')}`, at, at, at, at);
      }
    })();
    sqlite.exec('analyze');
    const time = async (fn: () => Promise<unknown> | unknown) => {
      const s: number[] = [];
      for (let i = 0; i < 20; i++) await fn();
      for (let i = 0; i < requests; i++) {
        const t = performance.now();
        await fn();
        s.push(performance.now() - t);
      }
      return s;
    };
    const bare = sqlite.prepare('select * from call_logs where org_id = ? order by started_at desc limit 50');
    const baseline = await time(() => bare.all(org.orgId));
    const get = (q: string) => async () => {
      const res = await api.call('GET', `/api/v1/call-logs${q}`, { token: org.token });
      await res.arrayBuffer();
    };
    const cases: Array<[string, number[]]> = [
      ['baseline: bare indexed SELECT … LIMIT 50 (no HTTP, no count)', baseline],
      ['GET /call-logs (newest 50, total count)', await time(get(''))],
      ['GET /call-logs?from&to (one day)', await time(get('?from=2026-01-10&to=2026-01-10'))],
      ['GET /call-logs?phone=…', await time(get('?phone=%2B919900001234'))],
      ['GET /call-logs?type=masking', await time(get('?type=masking'))],
      ['GET /call-logs/sync?after=50000&limit=100', await time(get('/sync?after=50000&limit=100'))],
    ];
    const b50 = pct(baseline, 50);
    printTable(`Call logs: ${rows} rows (90% in one org), ${requests} sequential requests each, in-process app.request`, ['query', 'p50 ms', 'p99 ms', 'p50 ratio vs baseline'],
      cases.map(([name, s]) => [name, pct(s, 50), pct(s, 99), pct(s, 50) / b50]));
  } finally {
    api.close();
  }
}
