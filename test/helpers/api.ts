import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/runtime/env.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { openDatabase, type Database_ } from '../../src/db/client.ts';
import { createApp, type App } from '../../src/http/app.ts';
import type { AppDeps } from '../../src/http/context.ts';
import { createToneEngine } from '../../src/media/tone-engine.ts';
import { offlineSwitchControl } from '../../src/switch/switch-control.ts';
import { createOrganization, createUser } from '../../src/services/organizations/organizations.ts';
import type { Role } from '../../src/services/auth/permissions.ts';

export interface TestApi {
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

/**
 * A fresh database (a temp file, so WAL and migrations run as in production) and app per test;
 * `seedDatabase`: start from a copy of that database file (a world built once, e.g. by VACUUM INTO).
 */
export function createTestApi(overrides: Partial<AppDeps> = {}, env: Record<string, string> = {}, opts: { seedDatabase?: string } = {}): TestApi {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-test-'));
  if (opts.seedDatabase) copyFileSync(opts.seedDatabase, join(dataDir, 'test.db'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, DATABASE_URL: join(dataDir, 'test.db'), ...env });
  const database = openDatabase(join(dataDir, 'test.db'));
  const deps: AppDeps = {
    config,
    logger: silentLogger(),
    db: database.db,
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
    app,
    deps,
    database,
    config,
    dataDir,
    call,
    async org(name = `Org ${++counter}`, role: Role = 'admin') {
      const org = createOrganization(database.db, { name });
      const email = `user${++counter}@${org.sipDomain}`;
      const password = 'correct horse battery';
      const user = await createUser(database.db, { orgId: org.id, email, password, role, name: 'Test User' });
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
