/**
 * The product as `npm start` runs it (compiled dist/, the same Node flags), in a temp data folder,
 * driven only through its public HTTP API.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { REPO } from '../deploy/helpers.ts';

/**
 * The product's database for a data folder: its SQLite file, or with SWITCH_SUITE_PG_URL (a PostgreSQL server's
 * admin URL, set by the suite when SWITCH_SUITE_DATABASE=postgres) a database of its own on that server, created
 * on first use: instances sharing a data folder share a database, as they share the SQLite file.
 */
async function databaseFor(dataDir: string): Promise<string> {
  const server = process.env.SWITCH_SUITE_PG_URL;
  if (!server) return `file:${join(dataDir, 'switchboard.db')}`;
  const name = `sb_${createHash('sha1').update(dataDir).digest('hex').slice(0, 12)}`;
  const c = new pg.Client({ connectionString: `${server}/postgres` });
  await c.connect();
  try {
    const { rowCount } = await c.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await c.query(`create database ${name}`);
  } finally {
    await c.end();
  }
  return `${server}/${name}`;
}

export const API = 'http://127.0.0.1:8000';
const ADMIN = { email: 'admin@example.com', password: 'switch-suite-admin-1' };

export interface Product {
  readonly dataDir: string;
  readonly output: () => string;
  /** JSON request with the admin's token; throws on a non-2xx unless `allow` lists the status. */
  api<T = any>(method: string, path: string, body?: unknown, allow?: number[]): Promise<{ status: number; body: T }>;
  token: string;
  /** SIGKILL (a crash), for the restart case. */
  kill(): void;
  /** SIGTERM (a graceful drain); resolves with the exit code once the process is gone. */
  terminate(): Promise<number | null>;
  /** Start again on the same data folder (after kill or stop). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function buildProduct(): void {
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: REPO, stdio: 'inherit' });
}

export async function startProduct(o: {
  dir: string;
  xmlCurlToken: string;
  env?: Record<string, string>;
  /** Share another instance's data folder (and so its database): a second controller. */
  dataDir?: string;
  /** The management API's port (default 8000). */
  httpPort?: number;
}): Promise<Product> {
  mkdirSync(o.dir, { recursive: true });
  const dataDir = o.dataDir ?? join(o.dir, 'data');
  const base = `http://127.0.0.1:${o.httpPort ?? 8000}`;
  mkdirSync(dataDir, { recursive: true });
  let out = '';
  let child: ChildProcess | null = null;
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: await databaseFor(dataDir),
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    XML_CURL_TOKEN: o.xmlCurlToken,
    LOG_LEVEL: process.env.SWITCH_SUITE_LOG_LEVEL ?? 'info',
    TTS_ENGINE: 'auto',
    BOT_UDP_PORT_MIN: '45000',
    BOT_UDP_PORT_MAX: '45999',
    METADATA_SERVER_DETECTION: 'none',
    HTTP_PORT: String(o.httpPort ?? 8000),
    ...o.env,
  };
  const launch = async () => {
    child = spawn(process.execPath, ['--max-semi-space-size=64', '--enable-source-maps', 'dist/main.js'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(join(o.dir, 'product.log'), { flags: 'a' });
    child.stdout?.on('data', (d: Buffer) => ((out += d.toString()), log.write(d)));
    child.stderr?.on('data', (d: Buffer) => ((out += d.toString()), log.write(d)));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const h = await fetch(`${base}/health`).then((r) => r.json() as Promise<{ switch: { connected: boolean } }>).catch(() => null);
      if (h?.switch.connected) return;
      if (child.exitCode !== null) throw new Error(`product exited: ${out.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`product not ready in 20 s: ${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const exited = () => new Promise<void>((resolve) => (child && child.exitCode === null && child.signalCode === null ? child.once('exit', () => resolve()) : resolve()));
  await launch().catch(async (err: unknown) => {
    child?.kill('SIGKILL');
    throw err;
  });

  const p: Product = {
    dataDir,
    output: () => out,
    token: '',
    async api(method, path, body, allow = []) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${p.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: any = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON
      }
      if (!res.ok && !allow.includes(res.status)) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
      return { status: res.status, body: parsed };
    },
    kill() {
      child?.kill('SIGKILL');
    },
    terminate() {
      const done = exited();
      const c = child;
      c?.kill('SIGTERM');
      return done.then(() => c?.exitCode ?? null);
    },
    async restart() {
      await exited();
      await launch();
    },
    async stop() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const done = exited();
      child.kill('SIGTERM');
      const t = setTimeout(() => child?.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(t);
    },
  };
  const login = await fetch(`${base}/auth/user-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  const auth = (await login.json()) as { token?: string };
  if (!auth.token) await p.stop();
  if (!auth.token) throw new Error(`login failed (${login.status}): ${JSON.stringify(auth)}`);
  p.token = auth.token;
  return p;
}
