// DATABASE_URL: SQLite paths and file: URLs are taken; any other scheme is refused at start, by name,
// instead of becoming a file called "postgres:".
import { expect, it } from 'vitest';
import { ConfigError, loadConfig, sqlitePath } from '../../src/runtime/env.ts';

it('takes file: URLs and paths, refuses postgres:// and other schemes with a clear message', () => {
  expect(sqlitePath(loadConfig({ DATABASE_URL: 'file:/data/sb.db' }))).toBe('/data/sb.db');
  expect(sqlitePath(loadConfig({ DATABASE_URL: './data/sb.db' }))).toBe('./data/sb.db');
  expect(sqlitePath(loadConfig({ DATABASE_URL: ':memory:' }))).toBe(':memory:');
  for (const url of ['postgres://u:p@db:5432/sb', 'postgresql://db/sb', 'mysql://db/sb']) {
    expect(() => loadConfig({ DATABASE_URL: url })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: url })).toThrow(/DATABASE_URL: only SQLite is supported/);
  }
});
