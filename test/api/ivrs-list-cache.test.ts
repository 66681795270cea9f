/**
 * GET /ivrs keeps each organization's rendered list per revision (triggers bump it on every write).
 * Every kind of write must show at once, including one made by another instance on the same database.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { listIvrsWithMenus } from '../../src/services/ivrs/queries.ts';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';

let api: AsyncTestApi;
let org: TestOrg;
beforeEach(async () => {
  api = await openTestApi();
  org = await api.org();
});
afterEach(() => api.close());

/** Another connection to the test's database; SQL with $n parameters, in order (? on SQLite). */
async function secondConnection(): Promise<{ run(sql: string, params: unknown[]): Promise<void>; close(): Promise<void> }> {
  if (api.dialect === 'sqlite') {
    const db = new Database(join(api.dataDir, 'test.db'));
    return {
      run: async (sql, params) => void db.prepare(sql.replace(/\$\d+/g, '?')).run(...params),
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: api.config.DATABASE_URL });
  await client.connect();
  return { run: async (sql, params) => void (await client.query(sql, params)), close: () => client.end() };
}

const call = (m: string, p: string, body?: unknown, headers?: Record<string, string>) => api.call(m, p, { token: org.token, body, headers });
const list = async () => {
  const res = await call('GET', '/api/v1/ivrs');
  expect(res.status).toBe(200);
  return { etag: res.headers.get('etag')!, body: (await res.json()) as Array<{ id: string; name: string; menuOptions: Array<{ digit: string }> }> };
};
const expectFresh = async () => {
  const got = await list();
  expect(got.body).toEqual(JSON.parse(JSON.stringify(await listIvrsWithMenus(api.deps.adb, org.orgId))));
  return got;
};

it('every API write (create, update, menu replace, delete) is visible on the next GET, with a new ETag', async () => {
  const etags = new Set<string>();
  etags.add((await expectFresh()).etag);
  const a = (await (await call('POST', '/api/v1/ivrs', { name: 'A', extension: '7001' })).json()) as { id: string };
  etags.add((await expectFresh()).etag);
  expect((await call('PUT', `/api/v1/ivrs/${a.id}`, { name: 'A renamed' })).status).toBe(200);
  expect((await expectFresh()).body[0]!.name).toBe('A renamed');
  etags.add((await list()).etag);
  await call('PUT', `/api/v1/ivrs/${a.id}/menu`, { options: [{ digit: '1', action_type: 'hangup', action_destination: null }] });
  expect((await expectFresh()).body[0]!.menuOptions.map((o) => o.digit)).toEqual(['1']);
  etags.add((await list()).etag);
  await call('PUT', `/api/v1/ivrs/${a.id}/menu`, { options: [] });
  expect((await expectFresh()).body[0]!.menuOptions).toEqual([]);
  etags.add((await list()).etag);
  expect((await call('DELETE', `/api/v1/ivrs/${a.id}`)).status).toBe(204);
  expect((await expectFresh()).body).toEqual([]);
  etags.add((await list()).etag);
  expect(etags.size).toBe(6);
});

it('a write by another instance sharing the database invalidates this instance’s copy', async () => {
  const a = (await (await call('POST', '/api/v1/ivrs', { name: 'A', extension: '7001' })).json()) as { id: string };
  const before = await expectFresh();
  // A second connection to the same database, as another controller/API process would hold.
  const other = await secondConnection();
  try {
    await other.run('update ivrs set name = $1 where id = $2', ['Changed elsewhere', a.id]);
    const after = await expectFresh();
    expect(after.body[0]!.name).toBe('Changed elsewhere');
    expect(after.etag).not.toBe(before.etag);
    const at = new Date().toISOString();
    await other.run(
      `insert into ivr_menu_options (id, org_id, ivr_id, digit, action_type, destination, created_at, updated_at) values ('m1', $1, $2, '5', 'hangup', null, $3, $4)`,
      [org.orgId, a.id, at, at],
    );
    expect((await expectFresh()).body[0]!.menuOptions.map((o) => o.digit)).toEqual(['5']);
  } finally {
    await other.close();
  }
});

it('answers If-None-Match with 304 and no body while nothing changed, 200 after a write', async () => {
  await call('POST', '/api/v1/ivrs', { name: 'A', extension: '7001' });
  const { etag } = await list();
  expect(etag).toMatch(/^W\/".+"$/);
  const same = await call('GET', '/api/v1/ivrs', undefined, { 'if-none-match': etag });
  expect(same.status).toBe(304);
  expect(same.headers.get('etag')).toBe(etag);
  expect(await same.text()).toBe('');
  const listed = await call('GET', '/api/v1/ivrs', undefined, { 'if-none-match': `W/"other", ${etag.slice(2)}` });
  expect(listed.status).toBe(304); // a list, and the strong form of a weak tag, both match (weak comparison)
  expect((await call('GET', '/api/v1/ivrs', undefined, { 'if-none-match': '*' })).status).toBe(304);
  await call('POST', '/api/v1/ivrs', { name: 'B', extension: '7002' });
  const changed = await call('GET', '/api/v1/ivrs', undefined, { 'if-none-match': etag });
  expect(changed.status).toBe(200);
  expect(((await changed.json()) as unknown[]).length).toBe(2);
});

it('organizations never share a cached list or an ETag', async () => {
  const b = await api.org();
  await call('POST', '/api/v1/ivrs', { name: 'Mine', extension: '7001' });
  const mine = await list();
  const theirs = await api.call('GET', '/api/v1/ivrs', { token: b.token });
  expect(await theirs.json()).toEqual([]);
  expect(theirs.headers.get('etag')).not.toBe(mine.etag);
  const cross = await api.call('GET', '/api/v1/ivrs', { token: b.token, headers: { 'if-none-match': mine.etag } });
  expect(cross.status).toBe(200);
});
