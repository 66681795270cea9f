/**
 * The organization the IVR Solutions examples talk about, built on our API: their DIDs, agent John Doe on
 * extension 2101, call flows 1001/1002/1003/1701/102, text template 101 (api_order_confirm), dialers 101 and
 * 105, the call statuses 1–7, AI bot 4821, a contact, and calls logged in December 2024 (records 12345,
 * 12346, click-to-call 56789 with SIP call id abc123.45@sip, dialer attempts 78901/78902) and August 2025
 * (a masked call). Where the examples name ids, our rows carry them (as strings: our ids are text), so every
 * example can be replayed verbatim. Placed calls go to the FreeSWITCH emulator (test/originate/harness.ts).
 * John Doe shows DID2 (+911143104568) as caller ID, Jane Smith the main DID; dialer 101's numbers are
 * +919800000001/2, so the examples' own numbers are free to add.
 * The world is built once (buildWorld) and every test opens its own copy of that database (openWorld): on SQLite
 * a copy of the file, on PostgreSQL its rows put back into the file's database (saveTestSeed).
 */
import { randomUUID } from 'node:crypto';
import { eq, and } from 'drizzle-orm';
import { createCallHarness, type CallHarness } from '../originate/harness.ts';
import { saveTestSeed, type TestOrg, type TestSeed } from '../helpers/api.ts';
import type { Db } from '../../src/db/handle.ts';

export const DID = '+911143104567';
export const DID2 = '+911143104568';
export const POOL = ['+911143104501', '+911143104502', '+911143104503', '+911143104504', '+911143104505'];
export const AGENT = { name: 'John Doe', email: 'john@acme.test', password: 'Agent2101pass', phone: '+919123456789', ext: '2101' };
export const AGENT2 = { name: 'Jane Smith', email: 'jane@acme.test', password: 'Agent2102pass', phone: '+919123456788', ext: '2102' };
export const STATUSES = ['Interested', 'Not Interested', 'Call Back Later', 'Wrong Number', 'DND', 'Converted', 'Follow Up Required'];

export interface WorldTemplate {
  /** The built database, to copy. */
  seed: TestSeed;
  org: TestOrg;
  /** An API key with every permission: the `token` the examples send. */
  key: string;
  /** Agent John Doe's login token (agent-context endpoints). */
  agentToken: string;
  remove(): void;
}

export interface World extends Omit<WorldTemplate, 'seed' | 'remove'> {
  h: CallHarness;
  /** The test's database (either dialect): `db.t` holds the tables. */
  db: Db;
  close(): Promise<void>;
}

/** A world of its own for one test: a copy of the template's database behind a fresh app, call control and emulator. */
export async function openWorld(t: WorldTemplate): Promise<World> {
  const h = await createCallHarness({}, { seed: t.seed });
  return { h, db: h.api.deps.adb, org: t.org, key: t.key, agentToken: t.agentToken, close: () => h.close() };
}

export async function buildWorld(): Promise<WorldTemplate> {
  const h = await createCallHarness();
  const api = h.api;
  const org = await api.org('Acme');
  const db = api.deps.adb;
  const { ivrs, ttsTemplates, aiAgents, campaigns, dispositions, callLogs, outboundCalls, callRecordings, campaignNumbers } = db.t;
  const v1 = async (method: string, path: string, body?: unknown) => {
    const res = await api.call(method, `/api/v1${path}`, { token: org.token, body });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  type WithId = typeof ivrs | typeof ttsTemplates | typeof aiAgents | typeof campaigns;
  const renameId = async (table: WithId, from: string, to: string) => {
    const t = table as typeof ivrs;
    await db.update(t).set({ id: to }).where(eq(t.id, from));
  };

  const key = (await v1('POST', '/api-keys', { name: 'ivrsolutions', permissions: ['*'] })).key as string;
  for (const number of [DID, DID2]) await v1('POST', '/dids', { number, assign: true });
  for (const number of POOL) await v1('POST', '/dids', { number, assign: false });
  for (const a of [AGENT, AGENT2]) {
    await v1('POST', '/agents', { name: a.name, email: a.email, password: a.password, phone: a.phone, extension: a.ext, caller_id_did: a === AGENT ? DID2 : DID });
  }

  const flows: Array<[string, string, string, string]> = [
    ['1001', 'Welcome IVR', 'Main welcome menu', '7001'], ['1002', 'Order Confirmation', 'COD order confirmation flow', '7002'],
    ['1003', 'Feedback Survey', 'Post-call feedback collection', '7003'], ['1701', 'Order options', 'Press 1 to confirm', '7004'],
    ['102', 'English', 'Language flow', '7005'],
  ];
  for (const [id, name, description, extension] of flows) {
    const created = await v1('POST', '/ivrs', { name, extension, description });
    await renameId(ivrs, created.id as string, id);
    await v1('PUT', `/ivrs/${id}/menu`, { options: [{ digit: '1', action_type: 'hangup', action_destination: null }] });
  }
  const template = await v1('POST', '/tts-templates', { name: 'api_order_confirm', text: 'Hello {{1}}, your order {{2}} of {{3}} rupees is ready. Press 1 to confirm.' });
  await renameId(ttsTemplates, template.id as string, '101');
  const bot = await v1('POST', '/ai-agents', { name: 'Sales bot', ws_url: 'wss://bots.example.com/sales', system_prompt: 'Sell politely.' });
  await renameId(aiAgents, bot.id as string, '4821');
  await v1('POST', '/ivrs/1001/publish');

  const campaign = async (id: string, name: string, status: string) => {
    const c = await v1('POST', '/campaigns', { name, did: DID, template: '101', no_of_call: 5, start_time: '09:00', end_time: '18:00', status });
    await renameId(campaigns, c.id as string, id);
  };
  await campaign('101', 'Order Confirmation Campaign', 'paused');
  await campaign('105', 'Reminder Dialer', 'off');

  await v1('GET', '/dispositions');
  for (const [i, name] of STATUSES.entries()) {
    await db.update(dispositions).set({ id: String(i + 1) }).where(and(eq(dispositions.orgId, org.orgId), eq(dispositions.name, name)));
  }
  await v1('POST', '/contacts', { name: 'John Doe', phone: '09876543210', email: 'john.customer@example.com', variables: { order_id: 'ORD12345' } });
  await v1('POST', '/contact-lists', { name: 'December Leads' });

  // Calls as the call controller writes them (ended rows reach the sync feed through its trigger).
  const log = (id: string, f: { uuid?: string; direction: string; did: string; caller: string; at: string; answeredBy?: string | null; dtmf?: string; seconds: number; cause?: string }) =>
    db.insert(callLogs).values({
      id, callUuid: f.uuid ?? randomUUID(), orgId: org.orgId, direction: f.direction, did: f.did, caller: f.caller, startedAt: f.at,
      answeredAt: f.answeredBy === null ? null : f.at, endedAt: new Date(Date.parse(f.at) + f.seconds * 1000).toISOString(), durationS: f.seconds,
      path: [], dtmf: f.dtmf ?? '', disposition: f.answeredBy === null ? 'no_answer' : 'connected', answeredBy: f.answeredBy ?? null,
      hangupCause: f.cause ?? 'NORMAL_CLEARING', createdAt: f.at,
    });
  const placed = (id: string, kind: string, f: { ext?: string; first: string; second?: string; campaign?: string; at: string; answered: boolean }) =>
    db.insert(outboundCalls).values({
      id, orgId: org.orgId, kind, did: DID, extNo: f.ext ?? null, firstNumber: f.first, secondNumber: f.second ?? null, campaignId: f.campaign ?? null,
      status: f.answered ? 'ended' : 'failed', aLegUuid: randomUUID(), bLegUuid: randomUUID(), startedAt: f.at, answeredAt: f.answered ? f.at : null,
      endedAt: f.at, createdAt: f.at, updatedAt: f.at,
    });
  const recording = (callId: string) =>
    db.insert(callRecordings).values({ id: randomUUID(), orgId: org.orgId, callId, path: `/tmp/${callId}.wav`, createdAt: new Date().toISOString() });

  await log('12345', { direction: 'inbound', did: DID, caller: '+919876543210', at: '2024-12-15T05:00:45.000Z', answeredBy: '2101', dtmf: '1', seconds: 185 });
  await recording('12345');
  await log('12346', { direction: 'inbound', did: DID, caller: '+919876543211', at: '2024-12-15T05:45:22.000Z', answeredBy: '2102', seconds: 92 });
  await recording('12346');
  await placed('56789', 'click_to_call', { ext: '2101', first: '', second: '+919876543210', at: '2024-12-15T08:52:10.000Z', answered: true });
  await log('56789', { uuid: 'abc123.45@sip', direction: 'click_to_call', did: DID, caller: '+919876543210', at: '2024-12-15T08:52:10.000Z', answeredBy: '2101', seconds: 245 });
  await recording('56789');
  const number = { campaignId: '101', orgId: org.orgId, variables: {}, nextAttemptAt: 0, createdAt: 'x', updatedAt: 'x' };
  await db.insert(campaignNumbers).values([
    { ...number, id: 'n1', number: '+919800000001', status: 'completed', attempts: 1, answered: true },
    { ...number, id: 'n2', number: '+919800000002', status: 'failed', attempts: 2, answered: false },
  ]);
  await placed('78901', 'tts', { first: '+919800000001', campaign: '101', at: '2024-12-15T04:35:30.000Z', answered: true });
  await db.update(outboundCalls).set({ campaignNumberId: 'n1' }).where(eq(outboundCalls.id, '78901'));
  await log('78901', { direction: 'tts', did: DID, caller: '+919800000001', at: '2024-12-15T04:35:30.000Z', answeredBy: null, dtmf: '1', seconds: 45 });
  await db.update(callLogs).set({ answeredAt: callLogs.startedAt, disposition: 'message_played' }).where(eq(callLogs.id, '78901'));
  await placed('78902', 'tts', { first: '+919800000002', campaign: '101', at: '2024-12-15T04:36:15.000Z', answered: false });
  await db.update(outboundCalls).set({ campaignNumberId: 'n2', hangupCause: 'NO_ANSWER' }).where(eq(outboundCalls.id, '78902'));
  await log('78902', { direction: 'tts', did: DID, caller: '+919800000002', at: '2024-12-15T04:36:15.000Z', answeredBy: null, seconds: 0, cause: 'NO_ANSWER' });
  await log('91001', { direction: 'masking', did: DID, caller: '+9198******10', at: '2025-08-10T06:00:00.000Z', answeredBy: null, seconds: 120 });
  await db.update(callLogs).set({ answeredAt: callLogs.startedAt }).where(eq(callLogs.id, '91001'));

  const login = await api.call('POST', '/auth/user-login', { body: { email: AGENT.email, password: AGENT.password } });
  const agentToken = ((await login.json()) as { token: string }).token;
  const seed = await saveTestSeed(api);
  await h.close();
  return { seed, org, key, agentToken, remove: () => seed.remove() };
}
