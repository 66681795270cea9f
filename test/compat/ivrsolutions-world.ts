/**
 * The organization the IVR Solutions examples talk about, built on our API: their DIDs, agent John Doe on
 * extension 2101, call flows 1001/1002/1003/1701/102, text template 101 (api_order_confirm), dialers 101 and
 * 105, the call statuses 1–7, AI bot 4821, a contact, and calls logged in December 2024 (records 12345,
 * 12346, click-to-call 56789 with SIP call id abc123.45@sip, dialer attempts 78901/78902) and August 2025
 * (a masked call). Where the examples name ids, our rows carry them (as strings: our ids are text), so every
 * example can be replayed verbatim. Placed calls go to the FreeSWITCH emulator (test/originate/harness.ts).
 * John Doe shows DID2 (+911143104568) as caller ID, Jane Smith the main DID; dialer 101's numbers are
 * +919800000001/2, so the examples' own numbers are free to add.
 * The world is built once (buildWorld) and every test opens its own copy of that database (openWorld).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallHarness, type CallHarness } from '../originate/harness.ts';
import type { TestOrg } from '../helpers/api.ts';

export const DID = '+911143104567';
export const DID2 = '+911143104568';
export const POOL = ['+911143104501', '+911143104502', '+911143104503', '+911143104504', '+911143104505'];
export const AGENT = { name: 'John Doe', email: 'john@acme.test', password: 'Agent2101pass', phone: '+919123456789', ext: '2101' };
export const AGENT2 = { name: 'Jane Smith', email: 'jane@acme.test', password: 'Agent2102pass', phone: '+919123456788', ext: '2102' };
export const STATUSES = ['Interested', 'Not Interested', 'Call Back Later', 'Wrong Number', 'DND', 'Converted', 'Follow Up Required'];

export interface WorldTemplate {
  /** The built database, to copy. */
  file: string;
  org: TestOrg;
  /** An API key with every permission: the `token` the examples send. */
  key: string;
  /** Agent John Doe's login token (agent-context endpoints). */
  agentToken: string;
  remove(): void;
}

export interface World extends Omit<WorldTemplate, 'file' | 'remove'> {
  h: CallHarness;
  sql(statement: string, ...args: unknown[]): void;
  rows<T = Record<string, unknown>>(statement: string, ...args: unknown[]): T[];
  close(): Promise<void>;
}

/** A world of its own for one test: a copy of the template's database behind a fresh app, call control and emulator. */
export async function openWorld(t: WorldTemplate): Promise<World> {
  const h = await createCallHarness({}, { seedDatabase: t.file });
  const sqlite = h.api.database.sqlite;
  return {
    h, org: t.org, key: t.key, agentToken: t.agentToken,
    sql: (statement, ...args) => void sqlite.prepare(statement).run(...args),
    rows: <T,>(statement: string, ...args: unknown[]) => sqlite.prepare(statement).all(...args) as T[],
    close: () => h.close(),
  };
}

export async function buildWorld(): Promise<WorldTemplate> {
  const h = await createCallHarness();
  const api = h.api;
  const org = await api.org('Acme');
  const sqlite = api.database.sqlite;
  const sql = (statement: string, ...args: unknown[]) => void sqlite.prepare(statement).run(...args);
  const rows = <T,>(statement: string, ...args: unknown[]) => sqlite.prepare(statement).all(...args) as T[];
  const v1 = async (method: string, path: string, body?: unknown) => {
    const res = await api.call(method, `/api/v1${path}`, { token: org.token, body });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const renameId = (table: string, from: string, to: string) => sql(`update ${table} set id = ? where id = ?`, to, from);

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
    renameId('ivrs', created.id as string, id);
    await v1('PUT', `/ivrs/${id}/menu`, { options: [{ digit: '1', action_type: 'hangup', action_destination: null }] });
  }
  const template = await v1('POST', '/tts-templates', { name: 'api_order_confirm', text: 'Hello {{1}}, your order {{2}} of {{3}} rupees is ready. Press 1 to confirm.' });
  renameId('tts_templates', template.id as string, '101');
  const bot = await v1('POST', '/ai-agents', { name: 'Sales bot', ws_url: 'wss://bots.example.com/sales', system_prompt: 'Sell politely.' });
  renameId('ai_agents', bot.id as string, '4821');
  await v1('POST', '/ivrs/1001/publish');

  const campaign = async (id: string, name: string, status: string) => {
    const c = await v1('POST', '/campaigns', { name, did: DID, template: '101', no_of_call: 5, start_time: '09:00', end_time: '18:00', status });
    renameId('campaigns', c.id as string, id);
  };
  await campaign('101', 'Order Confirmation Campaign', 'paused');
  await campaign('105', 'Reminder Dialer', 'off');

  await v1('GET', '/dispositions');
  STATUSES.forEach((name, i) => sql('update dispositions set id = ? where org_id = ? and name = ?', String(i + 1), org.orgId, name));
  await v1('POST', '/contacts', { name: 'John Doe', phone: '09876543210', email: 'john.customer@example.com', variables: { order_id: 'ORD12345' } });
  await v1('POST', '/contact-lists', { name: 'December Leads' });

  // Calls as the call controller writes them (ended rows reach the sync feed through its trigger).
  const log = (id: string, f: { uuid?: string; direction: string; did: string; caller: string; at: string; answeredBy?: string | null; dtmf?: string; seconds: number; cause?: string }) =>
    sql(`insert into call_logs (id, call_uuid, org_id, direction, did, caller, started_at, answered_at, ended_at, duration_s, path, dtmf, disposition, answered_by, hangup_cause, created_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?)`,
    id, f.uuid ?? randomUUID(), org.orgId, f.direction, f.did, f.caller, f.at, f.answeredBy === null ? null : f.at,
    new Date(Date.parse(f.at) + f.seconds * 1000).toISOString(), f.seconds, f.dtmf ?? '', f.answeredBy === null ? 'no_answer' : 'connected',
    f.answeredBy ?? null, f.cause ?? 'NORMAL_CLEARING', f.at);
  const placed = (id: string, kind: string, f: { ext?: string; first: string; second?: string; campaign?: string; at: string; answered: boolean }) =>
    sql(`insert into outbound_calls (id, org_id, kind, did, ext_no, first_number, second_number, campaign_id, status, a_leg_uuid, b_leg_uuid, started_at, answered_at, ended_at, created_at, updated_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    id, org.orgId, kind, DID, f.ext ?? null, f.first, f.second ?? null, f.campaign ?? null, f.answered ? 'ended' : 'failed', randomUUID(), randomUUID(),
    f.at, f.answered ? f.at : null, f.at, f.at, f.at);
  const recording = (callId: string) => sql('insert into call_recordings (id, org_id, call_id, path, created_at) values (?, ?, ?, ?, ?)', randomUUID(), org.orgId, callId, `/tmp/${callId}.wav`, new Date().toISOString());

  log('12345', { direction: 'inbound', did: DID, caller: '+919876543210', at: '2024-12-15T05:00:45.000Z', answeredBy: '2101', dtmf: '1', seconds: 185 });
  recording('12345');
  log('12346', { direction: 'inbound', did: DID, caller: '+919876543211', at: '2024-12-15T05:45:22.000Z', answeredBy: '2102', seconds: 92 });
  recording('12346');
  placed('56789', 'click_to_call', { ext: '2101', first: '', second: '+919876543210', at: '2024-12-15T08:52:10.000Z', answered: true });
  log('56789', { uuid: 'abc123.45@sip', direction: 'click_to_call', did: DID, caller: '+919876543210', at: '2024-12-15T08:52:10.000Z', answeredBy: '2101', seconds: 245 });
  recording('56789');
  sql(`insert into campaign_numbers (id, campaign_id, org_id, number, variables, status, attempts, next_attempt_at, answered, created_at, updated_at)
    values ('n1', '101', ?, '+919800000001', '{}', 'completed', 1, 0, 1, 'x', 'x'), ('n2', '101', ?, '+919800000002', '{}', 'failed', 2, 0, 0, 'x', 'x')`, org.orgId, org.orgId);
  placed('78901', 'tts', { first: '+919800000001', campaign: '101', at: '2024-12-15T04:35:30.000Z', answered: true });
  sql("update outbound_calls set campaign_number_id = 'n1' where id = '78901'");
  log('78901', { direction: 'tts', did: DID, caller: '+919800000001', at: '2024-12-15T04:35:30.000Z', answeredBy: null, dtmf: '1', seconds: 45 });
  sql("update call_logs set answered_at = started_at, disposition = 'message_played' where id = '78901'");
  placed('78902', 'tts', { first: '+919800000002', campaign: '101', at: '2024-12-15T04:36:15.000Z', answered: false });
  sql("update outbound_calls set campaign_number_id = 'n2', hangup_cause = 'NO_ANSWER' where id = '78902'");
  log('78902', { direction: 'tts', did: DID, caller: '+919800000002', at: '2024-12-15T04:36:15.000Z', answeredBy: null, seconds: 0, cause: 'NO_ANSWER' });
  log('91001', { direction: 'masking', did: DID, caller: '+9198******10', at: '2025-08-10T06:00:00.000Z', answeredBy: null, seconds: 120 });
  sql("update call_logs set answered_at = started_at where id = '91001'");

  const login = await api.call('POST', '/auth/user-login', { body: { email: AGENT.email, password: AGENT.password } });
  const agentToken = ((await login.json()) as { token: string }).token;
  const dir = mkdtempSync(join(tmpdir(), 'sb-ivrsol-'));
  const file = join(dir, 'world.db');
  sqlite.exec(`VACUUM INTO '${file}'`);
  await h.close();
  return { file, org, key, agentToken, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
