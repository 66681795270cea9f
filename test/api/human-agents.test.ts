import { afterEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';
import { publish } from '../../src/publish/publish.ts';
import { latestSnapshot } from '../../src/publish/store.ts';
import { addDid, seedValid } from '../publish/seed-async.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { createAgentExpiry } from '../../src/services/human-agents/expiry.ts';
import type { PublishedSwitchChanges } from '../../src/publish/callcenter.ts';

const TOKEN = 'xml-curl-token-0123456789';
const NOT_FOUND = '<document type="freeswitch/xml"><section name="result"><result status="not found"/></section></document>';
const GOOD = 'Sunrise2026x';

let api: AsyncTestApi;
afterEach(async () => {
  const open = api as AsyncTestApi | undefined;
  api = undefined as unknown as AsyncTestApi; // a test that opens none must not close the previous one again
  await open?.close();
});

/** Extension `n`'s enabled in the org's latest published snapshot. */
const publishedEnabled = async (orgId: string, n: string) => (await latestSnapshot(api.deps.adb, orgId))?.snapshot.extensions[n]?.enabled;

/** A clock the test moves; the app and the sweep read it (it starts at the real time: tokens are checked against it). */
function clock() {
  let t = Math.floor(Date.now() / 1000) * 1000;
  return { now: () => new Date(t), advance: (ms: number) => { t += ms; } };
}

interface AgentBody { id: string; enabled: boolean; disabled_reason: string | null; extension: { id: string; number: string }; sip_password?: string; caller_id_did: { number: string } | null; expires_at: string | null }

async function createAgent(org: TestOrg, body: Record<string, unknown> = {}) {
  const res = await api.call('POST', '/api/v1/agents', { token: org.token, body: { name: 'Asha Rao', email: 'asha@example.com', password: GOOD, phone: '9876543210', ...body } });
  return { res, json: (await res.json()) as AgentBody & { error?: string; code?: string; details?: { fields: Array<{ field: string; message: string }> } } };
}

const login = (email: string, password: string) => api.call('POST', '/auth/user-login', { body: { email, password } });

function directory(user: string, domain: string) {
  return Promise.resolve(api.app.request(`/freeswitch/xml-curl?token=${TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ section: 'directory', tag_name: 'domain', key_name: 'name', key_value: domain, user, domain, action: 'sip_auth' }).toString(),
  })).then((r) => r.text());
}

describe('POST /api/v1/agents', () => {
  it('creates a member login and the next free extension; the agent can log in', async () => {
    api = await openTestApi();
    const org = await api.org();
    await seedValid(api.deps.adb, org.orgId); // holds 1001
    const { res, json } = await createAgent(org);
    expect(res.status).toBe(201);
    expect(json).toMatchObject({ name: 'Asha Rao', email: 'asha@example.com', phone: '+919876543210', enabled: true, disabled_reason: null, expires_at: null, extension: { number: '1002' }, caller_id_did: null });
    expect(json.sip_password).toMatch(/^.{20,}$/);
    const logged = await login('asha@example.com', GOOD);
    expect(logged.status).toBe(200);
    const who = (await logged.json()) as { user: { role: string; org_id: string } };
    expect(who.user).toMatchObject({ role: 'member', org_id: org.orgId });

    const ext = await api.call('GET', `/api/v1/extensions/${json.extension.id}`, { token: org.token });
    expect(await ext.json()).toMatchObject({ number: '1002', name: 'Asha Rao', enabled: true, owner: { agent_id: json.id, name: 'Asha Rao', email: 'asha@example.com' } });
  });

  it('400 naming each broken password rule; 409 for a taken email or extension', async () => {
    api = await openTestApi();
    const org = await api.org();
    for (const [password, rules] of [
      ['short1', ['min_length']],
      ['onlyletterslong', ['digit']],
      ['12345678901', ['letter']],
      ['xasha2026long', ['no_email_name']],
    ] as const) {
      const { res, json } = await createAgent(org, { password });
      expect(res.status).toBe(400);
      expect(json.code).toBe('validation_error');
      expect(json.details?.fields.map((f) => f.message.split(':')[0])).toEqual(rules);
      expect(json.error).toMatch(/^Password does not meet the policy: /);
    }
    expect((await createAgent(org)).res.status).toBe(201);
    const dup = await createAgent(org, { email: 'ASHA@example.com', extension: '1500' });
    expect(dup.res.status).toBe(409);
    expect(dup.json.error).toBe('A user with email asha@example.com already exists');
    const taken = await createAgent(org, { email: 'ravi@example.com', extension: '1001' });
    expect(taken.res.status).toBe(409);
    expect(taken.json.error).toMatch(/Extension 1001 is already used by user "Asha Rao"/);
  });

  it('lists with paging and an enabled filter; members cannot create agents', async () => {
    api = await openTestApi();
    const org = await api.org();
    for (const n of ['a', 'b', 'c']) expect((await createAgent(org, { email: `${n}@example.com` })).res.status).toBe(201);
    const first = (await api.call('GET', '/api/v1/agents?limit=2', { token: org.token }).then((r) => r.json())) as { agents: AgentBody[]; total: number };
    expect(first.total).toBe(3);
    expect(first.agents.map((a) => a.extension.number)).toEqual(['1001', '1002']);
    await api.call('PATCH', `/api/v1/agents/${first.agents[0]!.id}`, { token: org.token, body: { enabled: false } });
    const off = (await api.call('GET', '/api/v1/agents?enabled=false', { token: org.token }).then((r) => r.json())) as { agents: AgentBody[]; total: number };
    expect(off.total).toBe(1);
    expect(off.agents[0]).toMatchObject({ enabled: false, disabled_reason: 'admin' });
    const member = await login('b@example.com', GOOD).then((r) => r.json()) as { token: string };
    const denied = await api.call('POST', '/api/v1/agents', { token: member.token, body: { name: 'X', email: 'x@example.com', password: GOOD } });
    expect(denied.status).toBe(403);
  });
});

describe('disabling and expiry', () => {
  it('a disabled agent cannot log in, its token stops, its extension leaves the directory and the published snapshot', async () => {
    const switchCalls: PublishedSwitchChanges[] = [];
    api = await openTestApi({ switchControl: { applyPublished: (input) => { switchCalls.push(input); return Promise.resolve({ applied: true, errors: [] }); } } }, { XML_CURL_TOKEN: TOKEN, AUTH_USER_CACHE_MS: '0' });
    const org = await api.org();
    await seedValid(api.deps.adb, org.orgId);
    const { json: agent } = await createAgent(org);
    await publish(api.deps.adb, org.orgId, { soundsDir: api.dataDir });
    expect(await directory('1002', org.sipDomain)).toContain('<user id="1002">');
    const session = (await login('asha@example.com', GOOD).then((r) => r.json())) as { token: string };
    expect((await api.call('GET', '/api/v1/call-logs', { token: session.token })).status).toBe(200);

    const res = await api.call('PATCH', `/api/v1/agents/${agent.id}`, { token: org.token, body: { enabled: false } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: false, disabled_reason: 'admin', warnings: [] });
    expect(await directory('1002', org.sipDomain)).toBe(NOT_FOUND);
    expect(await directory('1001', org.sipDomain)).toContain('<user id="1001">');
    expect(await publishedEnabled(org.orgId, '1002')).toBe(false);
    expect(switchCalls).toHaveLength(1);
    const refused = await login('asha@example.com', GOOD);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'forbidden', error: 'This agent is disabled: ask an administrator to enable it' });
    expect((await login('asha@example.com', 'wrong-password-1')).status).toBe(401);
    expect((await api.call('GET', '/api/v1/call-logs', { token: session.token })).status).toBe(401);

    await api.call('PATCH', `/api/v1/agents/${agent.id}`, { token: org.token, body: { enabled: true } });
    expect(await directory('1002', org.sipDomain)).toContain('<user id="1002">');
    expect(await publishedEnabled(org.orgId, '1002')).toBe(true);
    expect((await login('asha@example.com', GOOD)).status).toBe(200);
  });

  it('an expired agent is refused before the sweep; the sweep (injected clock) disables it and its extension once', async () => {
    const t = clock();
    api = await openTestApi({ now: t.now }, { XML_CURL_TOKEN: TOKEN });
    const org = await api.org();
    await seedValid(api.deps.adb, org.orgId);
    const expiry = new Date(t.now().getTime() + 3_600_000);
    const { json: agent } = await createAgent(org, { expires_at: expiry.toISOString().replace('Z', '+00:00') });
    expect(agent.expires_at).toBe(expiry.toISOString());
    await publish(api.deps.adb, org.orgId, { soundsDir: api.dataDir, now: t.now() });
    const sweep = createAgentExpiry({ adb: api.deps.adb, switchControl: api.deps.switchControl, logger: silentLogger(), now: t.now, intervalMs: 60_000 });

    expect((await sweep.runOnce()).size).toBe(0);
    expect((await login('asha@example.com', GOOD)).status).toBe(200);
    t.advance(60 * 60_000); // exactly expires_at
    expect(await directory('1002', org.sipDomain)).toBe(NOT_FOUND);
    const refused = await login('asha@example.com', GOOD);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toBe(`This agent's access expired at ${expiry.toISOString()}: ask an administrator to enable it`);
    expect(await publishedEnabled(org.orgId, '1002')).toBe(true); // not swept yet

    const swept = await sweep.runOnce();
    expect([...swept.values()].flat()).toEqual([agent.id]);
    expect((await sweep.runOnce()).size).toBe(0); // idempotent
    expect(await publishedEnabled(org.orgId, '1002')).toBe(false);
    const after = (await api.call('GET', `/api/v1/agents/${agent.id}`, { token: org.token }).then((r) => r.json())) as AgentBody;
    expect(after).toMatchObject({ enabled: false, disabled_reason: 'expired' });
    const enable = await api.call('PATCH', `/api/v1/agents/${agent.id}`, { token: org.token, body: { enabled: true } });
    expect(enable.status).toBe(400);
    const renewed = await api.call('PATCH', `/api/v1/agents/${agent.id}`, { token: org.token, body: { enabled: true, expires_at: null } });
    expect(await renewed.json()).toMatchObject({ enabled: true, disabled_reason: null, expires_at: null });
    expect(await directory('1002', org.sipDomain)).toContain('<user id="1002">');
  });

  it('a past expires_at given by PATCH disables at once; DELETE removes the login and leaves the extension disabled', async () => {
    api = await openTestApi();
    const org = await api.org();
    const { json: agent } = await createAgent(org);
    const past = await api.call('PATCH', `/api/v1/agents/${agent.id}`, { token: org.token, body: { expires_at: '2020-01-01T00:00:00Z' } });
    expect(await past.json()).toMatchObject({ enabled: false, disabled_reason: 'expired' });
    expect((await api.call('DELETE', `/api/v1/agents/${agent.id}`, { token: org.token })).status).toBe(204);
    expect((await api.call('GET', `/api/v1/agents/${agent.id}`, { token: org.token })).status).toBe(404);
    expect((await login('asha@example.com', GOOD)).status).toBe(401);
    const ext = await api.call('GET', `/api/v1/extensions/${agent.extension.id}`, { token: org.token }).then((r) => r.json());
    expect(ext).toMatchObject({ number: '1001', enabled: false, owner: null });
  });
});

describe('caller-ID DID', () => {
  it('accepts only an active DID of the organization', async () => {
    api = await openTestApi();
    const org = await api.org();
    const other = await api.org('Other');
    await addDid(api.deps.adb, org.orgId, '+918065978001', 'extension', '1001');
    await addDid(api.deps.adb, other.orgId, '+918065978009', 'extension', '1001');
    const { json: agent } = await createAgent(org, { caller_id_did: '08065978001' });
    expect(agent.caller_id_did).toMatchObject({ number: '+918065978001' });
    const bad = await api.call('PATCH', `/api/v1/agents/${agent.id}`, { token: org.token, body: { caller_id_did: '+918065978009' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ details: { fields: [{ field: 'caller_id_did' }] } });
    const cleared = await api.call('PATCH', `/api/v1/agents/${agent.id}`, { token: org.token, body: { caller_id_did: null } });
    expect(await cleared.json()).toMatchObject({ caller_id_did: null });
  });
});
