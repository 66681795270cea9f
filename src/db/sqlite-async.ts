import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/sqlite-proxy';
import * as sqliteTables from './schema/index.ts';
import type { Db, Tables } from './handle.ts';
import { createSqliteGate } from './sqlite-gate.ts';

/**
 * The async handle over an open better-sqlite3 connection (migrated by client.ts): drizzle's sqlite-proxy
 * driver, every statement through the connection's gate, the SQLite tables as `t`.
 */
export function asyncSqliteDb(raw: Database.Database): Db {
  const gate = createSqliteGate(raw);
  const db = drizzle((sql, params, method) => gate.statement(sql, params, method));
  // The SQLite tables stand in for the PostgreSQL ones: equal row types (schema-pg/tables.ts typeParity).
  return Object.assign(db, { t: sqliteTables as unknown as Tables, driver: { dialect: 'sqlite' as const, gate } }) as unknown as Db;
}
