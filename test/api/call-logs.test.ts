import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';
import { testDialect } from '../helpers/test-db.ts';

let api: AsyncTestApi;
beforeEach(async () => {
  api = await openTestApi();
});
afterEach(() => api.close());

type Log = Record<string, unknown> & { id: string; caller_number: string; type: string; status: string; seq?: number; disposition: string | null };
type Err = { error: string; code: string; details?: { fields?: { field: string }[]; missing_permission?: string } };

async function keyWith(org: TestOrg, permissions: string[]): Promise<string> {
  const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions } });
  return ((await res.json()) as { key: string }).key;
}

/** Call logs are written by the call controller / originate layer; tests insert rows directly. */
async function insert(orgId: string, o: { caller?: string; day?: number; minute?: number; type?: string; ended?: boolean; answered?: boolean } = {}): Promise<string> {
  const id = randomUUID();
  const started = `2026-04-${String(o.day ?? 23).padStart(2, '0')}T10:${String(o.minute ?? 0).padStart(2, '0')}:00.000Z`;
  const ended = o.ended === false ? null : started.replace('T10:', 'T11:');
  await api.deps.adb.insert(api.deps.adb.t.callLogs).values({
    id, callUuid: `uuid-${id}`, orgId, direction: o.type ?? 'inbound', did: '+918065978001', caller: o.caller ?? '+919944421125', startedAt: started,
    answeredAt: o.answered === false ? null : started, endedAt: ended, durationS: ended ? 3600 : null, path: [{ step: 'menu' }], dtmf: '12',
    disposition: 'extension', answeredBy: o.answered === false ? null : '1001', hangupCause: 'NORMAL_CLEARING', createdAt: started,
  });
  return id;
}

const get = async (org: TestOrg | string, path: string) => {
  const res = await api.call('GET', path, typeof org === 'string' ? { apiKey: org } : { token: org.token });
  return { res, json: (await res.json()) as { calls: Log[]; total: number; next_after: number; has_more: boolean } & Err & Log };
};

describe('GET /call-logs', () => {
  it('lists the org\'s calls newest first with every field', async () => {
    const a = await api.org();
    const b = await api.org();
    await insert(a.orgId, { minute: 1 });
    const newest = await insert(a.orgId, { minute: 3, answered: false });
    await insert(b.orgId, { minute: 2 });
    const { res, json } = await get(a, '/api/v1/call-logs');
    expect(res.status).toBe(200);
    expect(json).toMatchObject({ total: 2, limit: 50, offset: 0 });
    expect(json.calls[0]).toMatchObject({
      id: newest, type: 'inbound', direction: 'inbound', did: '+918065978001', caller_number: '+919944421125', agent: null,
      start_time: '2026-04-23T10:03:00.000Z', duration: 3600, status: 'missed', recording_url: null, dtmf_input: '12',
      ivr_path: [{ step: 'menu' }], hangup_cause: 'NORMAL_CLEARING', outcome: 'extension', disposition: null,
    });
    expect(json.calls[1]).toMatchObject({ status: 'answered', agent: '1001', attended_by: '1001' });
  });

  it('filters by date range, phone (any format) and type; paginates', async () => {
    const org = await api.org();
    await insert(org.orgId, { day: 20 });
    await insert(org.orgId, { day: 21, caller: '+919900000001' });
    await insert(org.orgId, { day: 22, type: 'click_to_call' });
    await insert(org.orgId, { day: 22, minute: 5, type: 'masking', ended: false });
    const range = await get(org, '/api/v1/call-logs?from=2026-04-21&to=2026-04-21');
    expect(range.json.total).toBe(1);
    const phone = await get(org, '/api/v1/call-logs?phone=09900000001');
    expect(phone.json.calls.map((c) => c.caller_number)).toEqual(['+919900000001']);
    const c2c = await get(org, '/api/v1/call-logs?type=click_to_call');
    expect(c2c.json.calls).toHaveLength(1);
    expect(c2c.json.calls[0]).toMatchObject({ type: 'click_to_call', direction: 'outbound' });
    const masking = await get(org, '/api/v1/call-logs?type=masking');
    expect(masking.json.calls[0]!.status).toBe('in_progress');
    const page = await get(org, '/api/v1/call-logs?limit=2&offset=1');
    expect(page.json).toMatchObject({ total: 4, limit: 2, offset: 1 });
    expect(page.json.calls).toHaveLength(2);
  });

  // SQLite's query planner; PostgreSQL's partial index is checked by test/db/pg-schema.test.ts.
  it.skipIf(testDialect() === 'postgres')('the by-type index holds only non-inbound rows, and listing a non-inbound type still uses it', () => {
    const org = { orgId: 'org-x' };
    const sqlite = api.database.sqlite;
    const indexSql = (sqlite.prepare(`select sql from sqlite_master where name = 'call_logs_org_type_started_idx'`).get() as { sql: string }).sql;
    expect(indexSql).toMatch(/WHERE `direction` <> 'inbound'/);
    const plan = (q: string) => (sqlite.prepare(`explain query plan ${q}`).all(org.orgId, 'masking') as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan(`select id from call_logs l where l.org_id = ? and l.direction = ? and l.direction <> 'inbound' order by l.started_at desc`)).toContain('call_logs_org_type_started_idx');
  });

  it('400 for bad dates, phone, type or limit', async () => {
    const org = await api.org();
    for (const q of ['from=yesterday', 'phone=abc', 'type=fax', 'limit=0']) {
      const { res, json } = await get(org, `/api/v1/call-logs?${q}`);
      expect(res.status, q).toBe(400);
      expect(json.details?.fields?.[0]?.field).toBe(q.split('=')[0]);
    }
  });

  it('401 without credentials, 403 for a key without call.read', async () => {
    expect((await api.call('GET', '/api/v1/call-logs')).status).toBe(401);
    const org = await api.org();
    const key = await keyWith(org, ['ivr.read']);
    const { res, json } = await get(key, '/api/v1/call-logs');
    expect(res.status).toBe(403);
    expect(json.details?.missing_permission).toBe('call.read');
    const ok = await keyWith(org, ['call.read']);
    expect((await get(ok, '/api/v1/call-logs')).res.status).toBe(200);
  });
});

describe('GET /call-logs/{id}', () => {
  it('finds by id or call uuid; 404 for another org', async () => {
    const a = await api.org();
    const b = await api.org();
    const id = await insert(a.orgId);
    expect((await get(a, `/api/v1/call-logs/${id}`)).json.id).toBe(id);
    expect((await get(a, `/api/v1/call-logs/uuid-${id}`)).json.id).toBe(id);
    const other = await get(b, `/api/v1/call-logs/${id}`);
    expect(other.res.status).toBe(404);
    expect(other.json.error).toBe('Call not found');
  });
});

describe('GET /call-logs/sync', () => {
  it('returns finished calls after the cursor, oldest first, and never refetches', async () => {
    const org = await api.org();
    const other = await api.org();
    const first = await insert(org.orgId, { minute: 1 });
    const live = await insert(org.orgId, { minute: 2, ended: false, type: 'click_to_call' });
    await insert(other.orgId);
    const s1 = await get(org, '/api/v1/call-logs/sync?limit=10');
    expect(s1.res.status).toBe(200);
    expect(s1.json.calls.map((c) => c.id)).toEqual([first]);
    expect(s1.json.has_more).toBe(false);
    // The live call ends (the writer sets ended_at): it appears in the next sync, once.
    const { callLogs } = api.deps.adb.t;
    await api.deps.adb.update(callLogs).set({ endedAt: '2026-04-23T10:09:00.000Z' }).where(eq(callLogs.id, live));
    const third = await insert(org.orgId, { minute: 5, type: 'masking' });
    const s2 = await get(org, `/api/v1/call-logs/sync?after=${s1.json.next_after}&limit=1`);
    expect(s2.json.calls.map((c) => c.id)).toEqual([live]);
    expect(s2.json.has_more).toBe(true);
    const s3 = await get(org, `/api/v1/call-logs/sync?after=${s2.json.next_after}`);
    expect(s3.json.calls.map((c) => c.id)).toEqual([third]);
    // "after these last ids" (one per call type): the max position wins.
    const s4 = await get(org, `/api/v1/call-logs/sync?after_id=${first},${live}`);
    expect(s4.json.calls.map((c) => c.id)).toEqual([third]);
    const typed = await get(org, '/api/v1/call-logs/sync?type=masking');
    expect(typed.json.calls.map((c) => c.type)).toEqual(['masking']);
  });

  // The feed's seq is handed out in commit order (0001_extras.sql's advisory lock): a call that ends in a
  // transaction committing late cannot be skipped by a reader that already moved past a later seq.
  it.skipIf(testDialect() !== 'postgres')('PostgreSQL: a second ending waits for the first one\'s commit, so seq order is commit order', async () => {
    const org = await api.org();
    const a = await insert(org.orgId, { minute: 1, ended: false });
    const b = await insert(org.orgId, { minute: 2, ended: false });
    const { driver } = api.deps.adb;
    if (driver.dialect !== 'postgres') throw new Error('unreachable');
    const first = await driver.pool.connect();
    try {
      await first.query('begin');
      await first.query(`update call_logs set ended_at = 'x' where id = $1`, [a]);
      let secondDone = false;
      const second = driver.pool.query(`update call_logs set ended_at = 'y' where id = $1`, [b]).then(() => void (secondDone = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(secondDone).toBe(false);
      // Nothing to read yet: b's ending has no seq before a's commits.
      expect((await get(org, '/api/v1/call-logs/sync')).json.calls).toEqual([]);
      await first.query('commit');
      await second;
    } finally {
      first.release();
    }
    const s = await get(org, '/api/v1/call-logs/sync');
    expect(s.json.calls.map((c) => c.id)).toEqual([a, b]);
  });

  it('404 for an unknown or foreign after_id; 400 for a bad cursor', async () => {
    const a = await api.org();
    const b = await api.org();
    const id = await insert(a.orgId);
    expect((await get(b, `/api/v1/call-logs/sync?after_id=${id}`)).res.status).toBe(404);
    expect((await get(a, '/api/v1/call-logs/sync?after=-1')).res.status).toBe(400);
    const key = await keyWith(a, ['webhook.read']);
    expect((await get(key, '/api/v1/call-logs/sync')).res.status).toBe(403);
  });
});

describe('notes', () => {
  it('attaches notes and dispositions to a call with history; the list shows the latest', async () => {
    const a = await api.org();
    const b = await api.org();
    const id = await insert(a.orgId);
    const n1 = await api.call('POST', `/api/v1/call-logs/${id}/notes`, { token: a.token, body: { disposition: 'call back later', note: 'busy now' } });
    expect(n1.status).toBe(201);
    expect(await n1.json()).toMatchObject({ call_id: id, disposition: 'Call Back Later', note: 'busy now', author_id: a.userId });
    const { dispositions } = api.deps.adb.t;
    const [converted] = await api.deps.adb.select().from(dispositions).where(and(eq(dispositions.orgId, a.orgId), eq(dispositions.name, 'Converted')));
    // By SIP/FreeSWITCH call id too.
    const n2 = await api.call('POST', `/api/v1/call-logs/uuid-${id}/notes`, { token: a.token, body: { disposition_id: converted!.id } });
    expect(n2.status).toBe(201);
    const history = (await (await api.call('GET', `/api/v1/call-logs/${id}/notes`, { token: a.token })).json()) as { disposition: string }[];
    expect(history.map((h) => h.disposition)).toEqual(['Converted', 'Call Back Later']);
    expect((await get(a, `/api/v1/call-logs/${id}`)).json.disposition).toBe('Converted');
    expect((await api.call('POST', `/api/v1/call-logs/${id}/notes`, { token: a.token, body: {} })).status).toBe(400);
    const unknown = await api.call('POST', `/api/v1/call-logs/${id}/notes`, { token: a.token, body: { disposition: 'Nope' } });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as Err).details?.fields?.[0]?.field).toBe('disposition');
    expect((await api.call('POST', `/api/v1/call-logs/${id}/notes`, { token: b.token, body: { note: 'x' } })).status).toBe(404);
    expect((await api.call('GET', `/api/v1/call-logs/${id}/notes`, { token: b.token })).status).toBe(404);
    const ro = await keyWith(a, ['call.read']);
    expect((await api.call('POST', `/api/v1/call-logs/${id}/notes`, { apiKey: ro, body: { note: 'x' } })).status).toBe(403);
  });
});
