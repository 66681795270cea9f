/**
 * seed.ts on the async handle (`api.deps.adb`), for the suites that also run on PostgreSQL (docs/postgres.md):
 * the same draft rows, written straight into the tables.
 */
import { eq } from 'drizzle-orm';
import type { Db, Tables } from '../../src/db/handle.ts';
import { slugify } from '../../src/services/organizations/organizations.ts';

type Insert<K extends keyof Tables> = Partial<Tables[K]['$inferInsert']>;

async function one<T>(rows: Promise<T[]>): Promise<T> {
  const [row] = await rows;
  return row!;
}

export const addExtension = (db: Db, orgId: string, number: string, over: Insert<'extensions'> = {}) =>
  one(db.insert(db.t.extensions).values({ orgId, number, name: `Ext ${number}`, sipPassword: `pw-${number}-secret`, ...over }).returning());

export const addQueue = (db: Db, orgId: string, number: string, over: Insert<'queues'> = {}) =>
  one(db.insert(db.t.queues).values({ orgId, number, name: `Queue ${number}`, ...over }).returning());

export const addQueueAgent = async (db: Db, queueId: string, extensionId: string, level = 1, position = 1): Promise<void> => {
  await db.insert(db.t.queueAgents).values({ queueId, extensionId, level, position });
};

export const addIvr = (db: Db, orgId: string, extension: string, over: Insert<'ivrs'> = {}) =>
  one(db.insert(db.t.ivrs).values({ orgId, name: `IVR ${extension}`, extension, ...over }).returning());

export const addOption = (db: Db, orgId: string, ivrId: string, digit: string, actionType: string, destination: string | null) =>
  one(db.insert(db.t.ivrMenuOptions).values({ orgId, ivrId, digit, actionType, destination }).returning());

export const addDid = (db: Db, orgId: string | null, number: string, routingType: string | null, routingDestination: string | null = null) =>
  one(db.insert(db.t.dids).values({ orgId, number, routingType, routingDestination }).returning());

export const addAgent = (db: Db, orgId: string, over: Insert<'aiAgents'> = {}) =>
  one(db.insert(db.t.aiAgents).values({ orgId, name: 'Bot', wsUrl: 'wss://bot.example.com/ws', ...over }).returning());

/** A small valid configuration: IVR 7001 (1 → ext 1001, 2 → queue 5001 with 1001 as agent), DID → IVR. */
export async function seedValid(db: Db, orgId: string) {
  const ext = await addExtension(db, orgId, '1001');
  const queue = await addQueue(db, orgId, '5001');
  await addQueueAgent(db, queue.id, ext.id);
  const ivr = await addIvr(db, orgId, '7001', { name: 'Main' });
  await addOption(db, orgId, ivr.id, '1', 'extension', '1001');
  await addOption(db, orgId, ivr.id, '2', 'queue', '5001');
  const did = await addDid(db, orgId, '+918065978001', 'ivr', ivr.id);
  return { ext, queue, ivr, did };
}

/** An organization as createOrganization makes it (without its admin). */
export async function newOrg(db: Db, name = 'Acme') {
  const { organizations } = db.t;
  const taken = async (domain: string) => (await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.sipDomain, domain)).limit(1)).length > 0;
  let sipDomain = `${slugify(name)}.sip.local`;
  for (let i = 2; await taken(sipDomain); i++) sipDomain = `${slugify(name)}-${i}.sip.local`;
  return one(db.insert(organizations).values({ name, sipDomain }).returning());
}

/** A business-hours schedule: weekdays 09:00–17:00 in New York, open → ext 1001, closed → hangup unless overridden. */
export const addSchedule = (db: Db, orgId: string, name: string, over: Insert<'businessHours'> = {}) =>
  one(db.insert(db.t.businessHours).values({
    orgId, name, timezone: 'America/New_York',
    weekly: { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }] },
    openDestination: { type: 'extension', value: '1001' }, closedDestination: { type: 'hangup', value: null },
    ...over,
  }).returning());
