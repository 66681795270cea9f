import type { TestApi, TestOrg } from '../helpers/api.ts';
import { aiAgents, dids, extensions, queues } from '../../src/db/schema/index.ts';

/** Shared setup for the IVR API tests: rows the IVR endpoints only read, inserted directly. */
export type ErrorBody = { error: string; code: string; details?: { fields?: { field: string; message: string }[]; conflict?: Record<string, unknown> } };

export function addExtension(api: TestApi, orgId: string, number: string, name = `User ${number}`, voicemailEnabled = true) {
  return api.deps.db.insert(extensions).values({ orgId, number, name, sipPassword: 'secret-secret', voicemailEnabled }).returning().get();
}

export function addQueue(api: TestApi, orgId: string, number: string, name = `Queue ${number}`) {
  return api.deps.db.insert(queues).values({ orgId, number, name }).returning().get();
}

export function addDid(api: TestApi, orgId: string, number: string, routing?: { type: string; destination: string }) {
  return api.deps.db
    .insert(dids)
    .values({ orgId, number, routingType: routing?.type ?? null, routingDestination: routing?.destination ?? null })
    .returning()
    .get();
}

export function addAiAgent(api: TestApi, orgId: string, fallback: { type: string; value: string | null } | null) {
  return api.deps.db.insert(aiAgents).values({ orgId, name: 'Bot', wsUrl: 'wss://bot.example/ws', fallbackDestination: fallback }).returning().get();
}

export type IvrJson = Record<string, unknown> & { id: string; extension: string; menuOptions?: Record<string, unknown>[] };

export async function createIvr(api: TestApi, org: TestOrg, body: Record<string, unknown> = {}): Promise<IvrJson> {
  const res = await api.call('POST', '/api/v1/ivrs', { token: org.token, body: { name: 'Main Menu', extension: '7001', ...body } });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as IvrJson;
}

/** An API key of the org holding only the given permissions. */
export async function apiKeyWith(api: TestApi, org: TestOrg, permissions: string[]): Promise<string> {
  const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'limited', permissions } });
  if (res.status !== 201) throw new Error(`api key: ${res.status}`);
  return ((await res.json()) as { key: string }).key;
}

export const fieldsOf = (body: ErrorBody) => (body.details?.fields ?? []).map((f) => f.field).sort();
