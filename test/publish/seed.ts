import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/sqlite.ts';
import type { Db } from '../../src/db/handle.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { createPgTestDatabase, testDialect } from '../helpers/test-db.ts';

export interface FreshDb {
  adb: Db;
  dir: string;
  soundsDir: string;
  /** Another connection to the same database (closed by the caller). */
  openSecond(): Promise<{ adb: Db; close(): Promise<void> }>;
  close(): Promise<void>;
}

/**
 * A fresh database for the publish tests (the async handle `adb`; draft rows through seed-async.ts): a SQLite
 * file, or in the `pg` project a PostgreSQL test database; a sounds directory.
 */
export async function freshDb(): Promise<FreshDb> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-publish-'));
  const soundsDir = join(dir, 'sounds');
  mkdirSync(soundsDir, { recursive: true });
  if (testDialect() === 'postgres') {
    const pg = await createPgTestDatabase();
    return {
      adb: pg.adb, dir, soundsDir,
      async openSecond() {
        const second = await openPostgres(pg.url, { max: 2, migrate: false });
        return { adb: second.adb, close: () => second.close() };
      },
      async close() {
        await pg.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const file = join(dir, 'test.db');
  const database = openDatabase(file);
  return {
    adb: database.adb, dir, soundsDir,
    async openSecond() {
      const second = openDatabase(file);
      return { adb: second.adb, close: async () => second.close() };
    },
    async close() {
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
