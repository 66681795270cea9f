// DATABASE_URL: SQLite paths and file: URLs, or PostgreSQL (postgres:// and postgresql://); any other scheme is
// refused at start, by name, instead of becoming a file called "mysql:".
import { expect, it } from 'vitest';
import { ConfigError, databaseTarget, loadConfig, sqlitePath } from '../../src/runtime/env.ts';
import { redactedUrl } from '../../src/db/open.ts';

it('takes file: URLs and paths as SQLite', () => {
  expect(sqlitePath(loadConfig({ DATABASE_URL: 'file:/data/sb.db' }))).toBe('/data/sb.db');
  expect(sqlitePath(loadConfig({ DATABASE_URL: './data/sb.db' }))).toBe('./data/sb.db');
  expect(sqlitePath(loadConfig({ DATABASE_URL: ':memory:' }))).toBe(':memory:');
  expect(databaseTarget(loadConfig({}))).toEqual({ dialect: 'sqlite', path: './data/switchboard.db' });
});

it('takes postgres:// and postgresql:// as PostgreSQL, with a pool of DATABASE_POOL_MAX (10 unless set)', () => {
  expect(databaseTarget(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/sb' }))).toEqual({ dialect: 'postgres', url: 'postgres://u:p@db:5432/sb', poolMax: 10 });
  expect(databaseTarget(loadConfig({ DATABASE_URL: 'postgresql://db/sb', DATABASE_POOL_MAX: '25' }))).toEqual({ dialect: 'postgres', url: 'postgresql://db/sb', poolMax: 25 });
  expect(() => sqlitePath(loadConfig({ DATABASE_URL: 'postgres://db/sb' }))).toThrow(/PostgreSQL/);
  for (const bad of ['0', '-1', 'ten']) {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/sb', DATABASE_POOL_MAX: bad })).toThrow(/DATABASE_POOL_MAX/);
  }
});

it('refuses other schemes with a clear message', () => {
  for (const url of ['mysql://db/sb', 'mongodb://db/sb', 'http://db/sb']) {
    expect(() => loadConfig({ DATABASE_URL: url })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: url })).toThrow(/DATABASE_URL: SQLite \(file:<path> or a path\) or PostgreSQL/);
  }
});

it('logs a PostgreSQL URL without its password', () => {
  expect(redactedUrl('postgres://switchboard:s3cret@postgres:5432/switchboard')).toBe('postgres:5432/switchboard');
  expect(redactedUrl('postgresql://db/sb')).toBe('db/sb');
});
