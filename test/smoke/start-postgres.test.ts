/**
 * `npm start` on PostgreSQL (DATABASE_URL=postgres://…): the real dist/main.js in child processes against a
 * fresh, empty database of the `pg` project's cluster (test/helpers/pg-global-setup.ts). Two instances
 * starting at once apply the migrations once (advisory lock) and create the first admin once; data written
 * through one is read through the other and survives a restart; SIGTERM ends the pool's connections.
 * Runs in the `pg` project only (vitest.config.ts: PG_SUITES, left out of `unit`).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createEmulator } from '../emulator/index.ts';
import { buildProduct, startProduct, type RunningProduct } from './product.ts';

const PASSWORD = 'smoke-test-password';
const admin = inject('pgUrl');
if (!admin) throw new Error('start-postgres.test.ts needs the pg project (a PostgreSQL test cluster)');
const name = `sb_smoke_${randomBytes(5).toString('hex')}`;
const at = (db: string) => {
  const u = new URL(admin);
  u.pathname = `/${db}`;
  return u.toString();
};
const DATABASE_URL = at(name);

let dir: string;
const running: RunningProduct[] = [];

async function query<T extends pg.QueryResultRow>(database: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: at(database) });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

const start = async (): Promise<RunningProduct> => {
  const p = await startProduct({ DATA_DIR: dir, DATABASE_URL, DATABASE_POOL_MAX: '4', BOOTSTRAP_ADMIN_PASSWORD: PASSWORD });
  running.push(p);
  return p;
};

const login = async (p: RunningProduct): Promise<string> => {
  const res = await fetch(p.url('/auth/user-login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@example.com', password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
};

const api = async (p: RunningProduct, token: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(p.url(path), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as unknown };
};

/** Connections of the product to its database (ours come and go through `query`, on the `postgres` database). */
const connections = async () => Number((await query<{ n: string }>('postgres', 'select count(*) as n from pg_stat_activity where datname = $1', [name]))[0]!.n);
const migrationsApplied = async () => Number((await query<{ n: string }>(name, 'select count(*) as n from drizzle.__drizzle_migrations'))[0]!.n);
const migrationFiles = (JSON.parse(readFileSync('db/migrations-pg/meta/_journal.json', 'utf8')) as { entries: unknown[] }).entries.length;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-smoke-pg-'));
  // An empty database (not the migrated template): the product migrates it.
  await query('postgres', `create database ${name}`);
  buildProduct();
}, 180_000);

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  await query('postgres', `drop database if exists ${name} with (force)`);
  rmSync(dir, { recursive: true, force: true });
});

let token: string;
let contactId: string;
let ivrId: string;

it('two instances starting at once on an empty database both come up: migrations and the first admin once', async () => {
  const [a, b] = [await start(), await start()];
  await Promise.all([a.waitFor('management API listening'), b.waitFor('management API listening')]);
  for (const p of [a, b]) expect(p.output()).toContain('database: PostgreSQL, migrations applied');
  // The URL's password is never logged; host:port/database and the pool size are.
  expect(a.output()).toContain(`"server":"${new URL(DATABASE_URL).host}/${name}","poolMax":4`);
  expect([a, b].filter((p) => p.output().includes('First start: created organization "Default"'))).toHaveLength(1);
  expect(await migrationsApplied()).toBe(migrationFiles);
  expect((await query<{ n: string }>(name, 'select count(*) as n from users'))[0]!.n).toBe('1');

  // Written through one instance, read through the other (one database).
  token = await login(a);
  const contact = await api(a, token, 'POST', '/api/v1/contacts', { name: 'Smoke Test', phone: '+919876543210', variables: { tier: 'gold' } });
  expect(contact.status).toBe(201);
  contactId = (contact.json as { id: string }).id;
  const ivr = await api(b, await login(b), 'POST', '/api/v1/ivrs', { name: 'Main Menu', extension: '7001' });
  expect(ivr.status).toBe(201);
  ivrId = (ivr.json as { id: string }).id;
  expect((await api(b, token, 'GET', `/api/v1/contacts/${contactId}`)).json).toMatchObject({ name: 'Smoke Test', phone: '+919876543210', variables: { tier: 'gold' } });
  expect(((await api(a, token, 'GET', '/api/v1/ivrs')).json as Array<{ id: string }>).map((i) => i.id)).toEqual([ivrId]);
  const health = (await (await fetch(a.url('/health'))).json()) as { status: string };
  expect(health.status).toBe('ok');
  // /ready asks the database (503 here only because no switch is connected).
  expect(await (await fetch(a.url('/ready'))).json()).toMatchObject({ ready: false, database: 'ok', switch: 'disconnected' });

  // SIGTERM: a clean exit, and the pools are ended (no connection of theirs left on the server).
  expect(await Promise.all([a.stop(), b.stop()])).toEqual([0, 0]);
  expect(await connections()).toBe(0);
}, 120_000);

it('a restart on the same database: no second first start, the data and the login are still there', async () => {
  const p = await start();
  await p.waitFor('management API listening');
  expect(p.output()).not.toContain('First start');
  expect(await migrationsApplied()).toBe(migrationFiles);
  const again = await login(p);
  expect((await api(p, again, 'GET', `/api/v1/contacts/${contactId}`)).json).toMatchObject({ id: contactId, name: 'Smoke Test' });
  // The token issued before the restart still works: the generated JWT secret is kept in the database.
  expect((await api(p, token, 'GET', `/api/v1/ivrs/${ivrId}`)).status).toBe(200);

  // The call controller on PostgreSQL: an unknown number is not in service.
  const call = createEmulator({ port: p.esl, timeScale: 0.02 }).placeCall({ destination: '918000000000', callerIdNumber: '9800000001' });
  expect((await call.done).hangupCause).toBe('UNALLOCATED_NUMBER');

  expect(await p.stop()).toBe(0);
  expect(await connections()).toBe(0);
}, 120_000);

it('the admin command line on the same database (npm run cli), its pool ended when it exits', () => {
  // An open pool would keep the process alive: execFileSync's timeout would fail the test.
  const out = execFileSync(process.execPath, ['dist/cli.js', 'list-orgs'], { env: { ...process.env, DATABASE_URL, DATA_DIR: dir }, encoding: 'utf8', timeout: 60_000 });
  expect(out).toMatch(/ Default {2}default\.sip\.local\n/);
  const made = execFileSync(process.execPath, ['dist/cli.js', 'create-org', '--name', 'Acme'], { env: { ...process.env, DATABASE_URL, DATA_DIR: dir }, encoding: 'utf8', timeout: 60_000 });
  expect(made).toContain('organization Acme');
});
