import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/db/client.ts';
import { eq } from 'drizzle-orm';
import { aiAgents, businessHours, dids, extensions, ivrMenuOptions, ivrs, organizations, queueAgents, queues } from '../../src/db/schema/index.ts';
import { slugify } from '../../src/services/organizations/organizations.ts';

/** Draft rows written straight into the tables, for publish tests independent of the CRUD routes. */
export function freshDb() {
  const dir = mkdtempSync(join(tmpdir(), 'sb-publish-'));
  const soundsDir = join(dir, 'sounds');
  mkdirSync(soundsDir, { recursive: true });
  const database = openDatabase(join(dir, 'test.db'));
  return {
    db: database.db,
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

/** An organization as createOrganization makes it (that one is async now; these tests stay synchronous). */
export function newOrg(db: Db, name = 'Acme') {
  let sipDomain = `${slugify(name)}.sip.local`;
  for (let i = 2; db.select().from(organizations).where(eq(organizations.sipDomain, sipDomain)).get(); i++) sipDomain = `${slugify(name)}-${i}.sip.local`;
  return db.insert(organizations).values({ name, sipDomain }).returning().get();
}

export const addExtension = (db: Db, orgId: string, number: string, over: Partial<typeof extensions.$inferInsert> = {}) =>
  db.insert(extensions).values({ orgId, number, name: `Ext ${number}`, sipPassword: `pw-${number}-secret`, ...over }).returning().get();

export const addQueue = (db: Db, orgId: string, number: string, over: Partial<typeof queues.$inferInsert> = {}) =>
  db.insert(queues).values({ orgId, number, name: `Queue ${number}`, ...over }).returning().get();

export const addQueueAgent = (db: Db, queueId: string, extensionId: string, level = 1, position = 1) =>
  db.insert(queueAgents).values({ queueId, extensionId, level, position }).run();

export const addIvr = (db: Db, orgId: string, extension: string, over: Partial<typeof ivrs.$inferInsert> = {}) =>
  db.insert(ivrs).values({ orgId, name: `IVR ${extension}`, extension, ...over }).returning().get();

export const addOption = (db: Db, orgId: string, ivrId: string, digit: string, actionType: string, destination: string | null) =>
  db.insert(ivrMenuOptions).values({ orgId, ivrId, digit, actionType, destination }).returning().get();

export const addDid = (db: Db, orgId: string | null, number: string, routingType: string | null, routingDestination: string | null = null) =>
  db.insert(dids).values({ orgId, number, routingType, routingDestination }).returning().get();

export const addAgent = (db: Db, orgId: string, over: Partial<typeof aiAgents.$inferInsert> = {}) =>
  db.insert(aiAgents).values({ orgId, name: 'Bot', wsUrl: 'wss://bot.example.com/ws', ...over }).returning().get();

/** A business-hours schedule: weekdays 09:00–17:00 in New York, open → ext 1001, closed → hangup unless overridden. */
export const addSchedule = (db: Db, orgId: string, name: string, over: Partial<typeof businessHours.$inferInsert> = {}) =>
  db.insert(businessHours).values({
    orgId, name, timezone: 'America/New_York',
    weekly: { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }] },
    openDestination: { type: 'extension', value: '1001' }, closedDestination: { type: 'hangup', value: null },
    ...over,
  }).returning().get();

/** A small valid configuration: IVR 7001 (1 → ext 1001, 2 → queue 5001 with 1001 as agent), DID → IVR. */
export function seedValid(db: Db, orgId: string) {
  const ext = addExtension(db, orgId, '1001');
  const queue = addQueue(db, orgId, '5001');
  addQueueAgent(db, queue.id, ext.id);
  const ivr = addIvr(db, orgId, '7001', { name: 'Main' });
  addOption(db, orgId, ivr.id, '1', 'extension', '1001');
  addOption(db, orgId, ivr.id, '2', 'queue', '5001');
  const did = addDid(db, orgId, '+918065978001', 'ivr', ivr.id);
  return { ext, queue, ivr, did };
}
