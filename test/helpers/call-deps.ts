import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/sqlite.ts';
import type { Db } from '../../src/db/handle.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { createCallEventBus, type CallEvent } from '../../src/domain/call-events.ts';
import { createCallRegistry } from '../../src/call/registry.ts';
import { createCallLogWriter } from '../../src/call/call-log.ts';
import type { CallDeps, CallSettings } from '../../src/call/session.ts';
import type { ConfigSnapshot, SnapshotDid } from '../../src/publish/snapshot.ts';
import { createPgTestDatabase, testDialect } from './test-db.ts';

/** A fresh database of the project's dialect (SQLite file, or PostgreSQL in the `pg` project). */
async function openCallDatabase(): Promise<{ adb: Db; close(): Promise<void> }> {
  if (testDialect() === 'postgres') return createPgTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'sb-calls-'));
  const database = openDatabase(join(dir, 'calls.db'));
  return {
    adb: database.adb,
    async close() {
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CallDeps over a fresh database (read it through `adb`), with a fixed DID → snapshot map and a recorded event stream. */
export async function testCallDeps(routes: Record<string, { snapshot: ConfigSnapshot; did: SnapshotDid }>, settings: Partial<CallSettings> = {}) {
  const database = await openCallDatabase();
  const events: CallEvent[] = [];
  const bus = createCallEventBus();
  bus.subscribe((e) => events.push(e));
  const registry = createCallRegistry();
  const deps: CallDeps = {
    adb: database.adb,
    logger: silentLogger(),
    bus,
    registry,
    callLogs: createCallLogWriter(database.adb, silentLogger()),
    snapshots: {
      lookupDid: (n) => {
        const r = routes[n];
        return r ? { orgId: r.snapshot.orgId, snapshot: r.snapshot, did: r.did } : null;
      },
    },
    settings: { externalGateway: 'pstn', ringTimeoutS: 20, defaultCountryCode: '91', maxIvrEntries: 10, foreverS: 3600, maxTalkS: 4 * 3600, ...settings },
    now: () => new Date(),
  };
  return { deps, adb: database.adb, events, close: () => database.close() };
}
