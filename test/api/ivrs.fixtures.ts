import type { AsyncTestApi, TestOrg } from '../helpers/api.ts';

/** Shared setup for the IVR API tests: rows the IVR endpoints only read, inserted directly (either database). */
export type ErrorBody = { error: string; code: string; details?: { fields?: { field: string; message: string }[]; conflict?: Record<string, unknown> } };

type Api = Pick<AsyncTestApi, 'deps' | 'call'>;

export async function addExtension(api: Api, orgId: string, number: string, name = `User ${number}`, voicemailEnabled = true) {
  const { adb } = api.deps;
  const [row] = await adb.insert(adb.t.extensions).values({ orgId, number, name, sipPassword: 'secret-secret', voicemailEnabled }).returning();
  return row!;
}

export async function addQueue(api: Api, orgId: string, number: string, name = `Queue ${number}`) {
  const { adb } = api.deps;
  const [row] = await adb.insert(adb.t.queues).values({ orgId, number, name }).returning();
  return row!;
}

export async function addDid(api: Api, orgId: string, number: string, routing?: { type: string; destination: string }) {
  const { adb } = api.deps;
  const [row] = await adb
    .insert(adb.t.dids)
    .values({ orgId, number, routingType: routing?.type ?? null, routingDestination: routing?.destination ?? null })
    .returning();
  return row!;
}

export async function addAiAgent(api: Api, orgId: string, fallback: { type: string; value: string | null } | null) {
  const { adb } = api.deps;
  const [row] = await adb.insert(adb.t.aiAgents).values({ orgId, name: 'Bot', wsUrl: 'wss://bot.example/ws', fallbackDestination: fallback }).returning();
  return row!;
}

export type IvrJson = Record<string, unknown> & { id: string; extension: string; menuOptions?: Record<string, unknown>[] };

export async function createIvr(api: Api, org: TestOrg, body: Record<string, unknown> = {}): Promise<IvrJson> {
  const res = await api.call('POST', '/api/v1/ivrs', { token: org.token, body: { name: 'Main Menu', extension: '7001', ...body } });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as IvrJson;
}

/** An API key of the org holding only the given permissions. */
export async function apiKeyWith(api: Api, org: TestOrg, permissions: string[]): Promise<string> {
  const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'limited', permissions } });
  if (res.status !== 201) throw new Error(`api key: ${res.status}`);
  return ((await res.json()) as { key: string }).key;
}

export const fieldsOf = (body: ErrorBody) => (body.details?.fields ?? []).map((f) => f.field).sort();
