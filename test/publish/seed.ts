import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/client.ts';

/**
 * A fresh SQLite database file for the publish tests (the async handle `adb`; draft rows through
 * seed-async.ts), a sounds directory, and the file's path (a second connection opens it).
 */
export function freshDb() {
  const dir = mkdtempSync(join(tmpdir(), 'sb-publish-'));
  const soundsDir = join(dir, 'sounds');
  mkdirSync(soundsDir, { recursive: true });
  const database = openDatabase(join(dir, 'test.db'));
  return {
    adb: database.adb,
    dir,
    dbPath: join(dir, 'test.db'),
    soundsDir,
    close() {
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
