import { openDatabase } from './sqlite.ts';
import type { Db, Dialect } from './handle.ts';
import { openPostgres } from './postgres.ts';

/** Which database to open (runtime/env.ts `databaseTarget` reads it from DATABASE_URL). */
export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string; poolMax: number };

/** The product's database, whichever DATABASE_URL names. */
export interface AppDatabase {
  dialect: Dialect;
  /** The async handle every service and the controller use (src/db/handle.ts). */
  adb: Db;
  /** What to log about it: the file, or host:port/database and the pool size (never the password). */
  describe: Record<string, string | number>;
  /** SQLite: closes the file. PostgreSQL: ends the pool (after the connections in use are released). */
  close(): Promise<void>;
}

/**
 * Opens the database and applies its migrations: SQLite (`db/migrations`; WAL, one file the instances on this
 * host share) or PostgreSQL (`db/migrations-pg` under an advisory lock, so instances starting together apply
 * them once; a pool of `poolMax` connections). `onIdleError`: an idle pooled connection failed (server
 * restart, backend terminated); the pool drops it and opens another on the next query.
 */
export async function openAppDatabase(target: DatabaseTarget, opts: { onIdleError?: (err: Error) => void } = {}): Promise<AppDatabase> {
  if (target.dialect === 'postgres') {
    const pg = await openPostgres(target.url, { max: target.poolMax, ...(opts.onIdleError && { onIdleError: opts.onIdleError }) });
    return { dialect: 'postgres', adb: pg.adb, describe: { server: redactedUrl(target.url), poolMax: target.poolMax }, close: () => pg.close() };
  }
  const sqlite = openDatabase(target.path);
  return {
    dialect: 'sqlite',
    adb: sqlite.adb,
    describe: { path: target.path },
    close: () => {
      sqlite.close();
      return Promise.resolve();
    },
  };
}

/** host:port/database of a postgres:// URL, for logs: never the user's password. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}
