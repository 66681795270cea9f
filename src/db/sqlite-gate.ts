/**
 * SQLite behind the async data layer (docs/postgres.md): one better-sqlite3 connection and one async
 * mutex. A statement runs at once, synchronously, unless a transaction holds the connection; then it waits
 * its turn. A transaction holds the connection from BEGIN to COMMIT, across the awaits of its body, and
 * AsyncLocalStorage tells the gate which statements are the transaction's own. Without this, another
 * request's statement issued while a transaction body awaits would run inside that transaction (and be
 * lost with its rollback): the experiment in docs/pg/experiments/a-await-sqlite.ts shows it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';

/** What drizzle's sqlite-proxy driver asks for one statement. */
export type ProxyMethod = 'run' | 'all' | 'values' | 'get';
/** `rowCount` is node-postgres's name, so code reads affected rows the same way on both databases. */
export type ProxyResult = { rows: unknown[]; rowCount?: number };

export interface SqliteGate {
  /** The sqlite-proxy callback: runs one statement when the connection is free or ours. */
  statement(sql: string, params: unknown[], method: ProxyMethod): Promise<ProxyResult>;
  /** Runs `fn` holding the connection (a transaction body, or a hot path's raw statements). Re-entrant. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Runs synchronous work on the raw connection (prepared statements) in its turn. */
  withRaw<T>(fn: (raw: Database.Database) => T): Promise<T>;
}

const STATEMENT_CACHE_MAX = 500;

function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err as Error);
  }
}

export function createSqliteGate(raw: Database.Database): SqliteGate {
  const owner = new AsyncLocalStorage<symbol>();
  let holder: symbol | null = null;
  const queue: { token: symbol; wake: () => void }[] = [];
  const statements = new Map<string, Database.Statement>();

  const mine = () => holder !== null && owner.getStore() === holder;
  const acquire = (token: symbol): Promise<void> | undefined => {
    if (holder === null) {
      holder = token;
      return undefined;
    }
    return new Promise((wake) => queue.push({ token, wake }));
  };
  const release = () => {
    const next = queue.shift();
    holder = next ? next.token : null; // handed over directly: nobody can slip in between
    next?.wake();
  };

  const prepared = (sql: string) => {
    let stmt = statements.get(sql);
    if (stmt) return stmt;
    stmt = raw.prepare(sql);
    if (statements.size >= STATEMENT_CACHE_MAX) statements.delete(statements.keys().next().value as string);
    statements.set(sql, stmt);
    return stmt;
  };

  const execute = (sql: string, params: unknown[], method: ProxyMethod): ProxyResult => {
    const stmt = prepared(sql);
    if (method === 'run' || !stmt.reader) return { rows: [], rowCount: stmt.run(...params).changes };
    stmt.raw(true);
    if (method === 'get') return { rows: stmt.get(...params) as unknown[] };
    return { rows: stmt.all(...params) };
  };

  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (mine()) return fn();
    const token = Symbol('sqlite-exclusive');
    await acquire(token);
    try {
      return await owner.run(token, fn);
    } finally {
      release();
    }
  }

  return {
    statement(sql, params, method) {
      // Free or ours: run now, synchronously (deferring it would let a transaction begin in between).
      if (holder === null || mine()) return settle(() => execute(sql, params, method));
      return exclusive(async () => execute(sql, params, method));
    },
    exclusive,
    withRaw(fn) {
      if (holder === null || mine()) return settle(() => fn(raw));
      return exclusive(async () => fn(raw));
    },
  };
}
