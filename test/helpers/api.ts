import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/runtime/env.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { openDatabase, type Database_ } from '../../src/db/sqlite.ts';
import { createApp, type App } from '../../src/http/app.ts';
import type { AppDeps } from '../../src/http/context.ts';
import { createToneEngine } from '../../src/media/tone-engine.ts';
import { offlineSwitchControl } from '../../src/switch/switch-control.ts';
import { createOrganization, createUser } from '../../src/services/organizations/organizations.ts';
import type { Role } from '../../src/services/auth/permissions.ts';
import { createPgTestDatabase, notOnPostgres, snapshotPgDatabase, testDialect, type PgSnapshot, type TestDialect } from './test-db.ts';

export interface TestApi {
  /** SQLite, or PostgreSQL in the `pg` project (openTestApi only). */
  dialect: TestDialect;
  app: App;
  deps: AppDeps;
  database: Database_;
  config: Config;
  dataDir: string;
  /** Creates an org with an admin; returns a JWT and ids. */
  org(name?: string, role?: Role): Promise<TestOrg>;
  /** app.request with JSON body and auth header helpers. */
  call(method: string, path: string, opts?: { token?: string; apiKey?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  close(): void;
}

export interface TestOrg {
  orgId: string;
  orgName: string;
  sipDomain: string;
  userId: string;
  email: string;
  password: string;
  token: string;
}

let counter = 0;

/** What a test database starts from. */
export interface TestApiOptions {
  /** SQLite only: start from a copy of this database file (a world built once, e.g. by VACUUM INTO). */
  seedDatabase?: string;
  /** openTestApi: start from a world saved by saveTestSeed (either database). */
  seed?: TestSeed;
}

/** A test database's contents saved once (saveTestSeed), for tests that each start from a copy of it. */
export type TestSeed = ({ dialect: 'sqlite'; file: string } | { dialect: 'postgres'; snapshot: PgSnapshot }) & { remove(): void };

/**
 * Saves what `api`'s database holds now: on SQLite a copy of the file (VACUUM INTO, copied per test as
 * `seedDatabase` was), on PostgreSQL the rows of every table (restored per test into the file's database).
 */
export async function saveTestSeed(api: AsyncTestApi): Promise<TestSeed> {
  const { driver } = api.deps.adb;
  if (driver.dialect === 'postgres') return { dialect: 'postgres', snapshot: await snapshotPgDatabase(driver.pool), remove: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'sb-seed-'));
  const file = join(dir, 'seed.db');
  await driver.gate.withRaw((raw) => raw.exec(`VACUUM INTO '${file}'`));
  return { dialect: 'sqlite', file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh SQLite database (a temp file, so WAL and migrations run as in production) and app per test. */
export function createTestApi(overrides: Partial<AppDeps> = {}, env: Record<string, string> = {}, opts: TestApiOptions = {}): TestApi {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-test-'));
  return buildTestApi('sqlite', dataDir, openSqliteTestDatabase(dataDir, opts), overrides, env);
}

/**
 * createTestApi on the project's database: SQLite, or in the `pg` project a fresh PostgreSQL database
 * (copied from the migrated template). (docs/postgres.md);
 * on PostgreSQL the raw SQLite connection (`database.sqlite`) throws when touched, and a
 * `seedDatabase` (a SQLite file) is refused.
 */
export async function openTestApi(overrides: Partial<AppDeps> = {}, env: Record<string, string> = {}, opts: TestApiOptions = {}): Promise<AsyncTestApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-test-'));
  if (opts.seed && opts.seed.dialect !== testDialect()) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`openTestApi: the seed was saved on ${opts.seed.dialect}, this project runs ${testDialect()}`);
  }
  if (testDialect() === 'sqlite') {
    const seedDatabase = opts.seed?.dialect === 'sqlite' ? opts.seed.file : opts.seedDatabase;
    const api = buildTestApi('sqlite', dataDir, openSqliteTestDatabase(dataDir, { seedDatabase }), overrides, env);
    return { ...api, close: async () => api.close() };
  }
  if (opts.seedDatabase) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error('openTestApi: seedDatabase is a SQLite file; PostgreSQL test databases start from the migrated template');
  }
  const pg = await createPgTestDatabase(opts.seed?.dialect === 'postgres' ? opts.seed.snapshot : undefined);
  const database: Database_ = { sqlite: notOnPostgres('database.sqlite'), adb: pg.adb, close: () => undefined };
  const api = buildTestApi('postgres', dataDir, database, overrides, env, pg.url);
  return {
    ...api,
    async close() {
      api.close();
      await pg.close();
    },
  };
}

export type AsyncTestApi = Omit<TestApi, 'close'> & { close(): Promise<void> };

/** The test's SQLite file in dataDir, from `opts.seedDatabase` when given, migrated. */
function openSqliteTestDatabase(dataDir: string, opts: TestApiOptions): Database_ {
  const file = join(dataDir, 'test.db');
  if (opts.seedDatabase) copyFileSync(opts.seedDatabase, file);
  return openDatabase(file);
}

/**
 * `databaseUrl`: the PostgreSQL test database, set as the config's DATABASE_URL for tests that open
 * connections of their own.
 */
function buildTestApi(dialect: TestDialect, dataDir: string, database: Database_, overrides: Partial<AppDeps>, env: Record<string, string>, databaseUrl?: string): TestApi {
  const loaded = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, DATABASE_URL: join(dataDir, 'test.db'), ...env });
  const config: Config = databaseUrl === undefined ? loaded : { ...loaded, DATABASE_URL: databaseUrl };
  const deps: AppDeps = {
    config,
    logger: silentLogger(),
    adb: database.adb,
    tts: createToneEngine(),
    switchControl: offlineSwitchControl,
    jwtSecret: 'test-secret-test-secret-0123456789',
    health: () => ({ switchConnected: false, activeCalls: 0 }),
    now: () => new Date(),
    ...overrides,
  };
  const app = createApp(deps);

  const call: TestApi['call'] = (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.apiKey) headers['x-api-key'] = opts.apiKey;
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    }
    return Promise.resolve(app.request(path, { method, headers, body }));
  };

  return {
    dialect,
    app,
    deps,
    database,
    config,
    dataDir,
    call,
    async org(name = `Org ${++counter}`, role: Role = 'admin') {
      const org = await createOrganization(deps.adb, { name });
      const email = `user${++counter}@${org.sipDomain}`;
      const password = 'correct horse battery';
      const user = await createUser(deps.adb, { orgId: org.id, email, password, role, name: 'Test User' });
      const res = await call('POST', '/auth/user-login', { body: { email, password } });
      const json = (await res.json()) as { token: string };
      return { orgId: org.id, orgName: org.name, sipDomain: org.sipDomain, userId: user.id, email, password, token: json.token };
    },
    close() {
      database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
