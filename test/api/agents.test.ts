import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';

let api: AsyncTestApi;
beforeEach(async () => {
  api = await openTestApi();
});
afterEach(() => api.close());

type Agent = {
  id: string; name: string; ws_url: string; headers: Record<string, string>; dialect: string; audio_format: string;
  system_prompt: string | null; language: string; opening_text: string | null; connect_timeout_ms: number;
  fallback_destination: { type: string; value: string | null } | null; createdAt: string; updatedAt: string;
};
type Err = { error: string; code: string; details?: { fields?: { field: string; message: string }[]; missing_permission?: string } };

const MASK = '••••';

async function keyWith(org: TestOrg, permissions: string[]): Promise<string> {
  const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions } });
  return ((await res.json()) as { key: string }).key;
}

async function createAgent(org: TestOrg, body: Record<string, unknown>) {
  const res = await api.call('POST', '/api/v1/ai-agents', { token: org.token, body });
  return { res, json: (await res.json()) as Agent & Err };
}

const storedHeaders = async (id: string) => {
  const { adb } = api.deps;
  return (await adb.select({ headers: adb.t.aiAgents.headers }).from(adb.t.aiAgents).where(eq(adb.t.aiAgents.id, id)))[0]?.headers;
};

describe('AI agents CRUD', () => {
  it('creates with defaults; header values are stored but never echoed', async () => {
    const org = await api.org();
    const { res, json } = await createAgent(org, { name: 'Support bot', ws_url: 'wss://bots.example.com/ws/support', headers: { Authorization: 'Bearer s3cret' } });
    expect(res.status).toBe(201);
    expect(json).toMatchObject({
      name: 'Support bot', ws_url: 'wss://bots.example.com/ws/support', headers: { Authorization: MASK }, dialect: 'native',
      audio_format: 'l16_16k', system_prompt: null, language: 'en-IN', opening_text: null, connect_timeout_ms: 3000, fallback_destination: null,
    });
    expect(await storedHeaders(json.id)).toEqual({ Authorization: 'Bearer s3cret' });

    const list = await api.call('GET', '/api/v1/ai-agents', { token: org.token });
    expect(list.status).toBe(200);
    const text = await list.text();
    expect(text).not.toContain('s3cret');
    expect((JSON.parse(text) as Agent[])[0]!.headers).toEqual({ Authorization: MASK });
    const one = await api.call('GET', `/api/v1/ai-agents/${json.id}`, { token: org.token });
    expect(one.status).toBe(200);
    expect(await one.text()).not.toContain('s3cret');
  });

  it('accepts every field and a validated fallback', async () => {
    const org = await api.org();
    await api.call('POST', '/api/v1/extensions', { token: org.token, body: { number: '1001', name: 'A' } });
    const { res, json } = await createAgent(org, {
      name: 'Twilio bot', ws_url: 'ws://127.0.0.1:9000/media', dialect: 'twilio', audio_format: 'pcmu_8k', system_prompt: 'Be brief.',
      language: 'hi-IN', opening_text: 'Namaste', connect_timeout_ms: 500, fallback_destination: { type: 'extension', value: '1001' },
    });
    expect(res.status).toBe(201);
    expect(json).toMatchObject({ dialect: 'twilio', audio_format: 'pcmu_8k', language: 'hi-IN', connect_timeout_ms: 500, fallback_destination: { type: 'extension', value: '1001' } });
    const hang = await createAgent(org, { name: 'x', ws_url: 'wss://a.example/ws', fallback_destination: { type: 'hangup', value: null } });
    expect(hang.res.status).toBe(201);
  });

  it('400 for bad fields', async () => {
    const org = await api.org();
    const { res, json } = await createAgent(org, {
      name: '', ws_url: 'https://bots.example.com', dialect: 'sip', audio_format: 'opus', connect_timeout_ms: 100,
      headers: { 'Bad Header': 'x' },
    });
    expect(res.status).toBe(400);
    const fields = json.details!.fields!.map((f) => f.field);
    for (const f of ['name', 'ws_url', 'dialect', 'audio_format', 'connect_timeout_ms']) expect(fields).toContain(f);
    expect(fields.some((f) => f.startsWith('headers'))).toBe(true);
    expect((await createAgent(org, { name: 'x', ws_url: 'wss://a.example/ws', connect_timeout_ms: 10_001 })).res.status).toBe(400);
  });

  it('400 for a fallback that is an AI agent, unknown or dangling', async () => {
    const a = await api.org();
    const b = await api.org();
    await api.call('POST', '/api/v1/extensions', { token: b.token, body: { number: '1001', name: 'B' } });
    for (const fallback_destination of [
      { type: 'ai_agent', value: 'wss://other.example/ws' },
      { type: 'teleport', value: 'x' },
      { type: 'extension', value: '1001' },
      { type: 'external', value: '12345' },
      { type: 'queue', value: null },
    ]) {
      const { res } = await createAgent(a, { name: 'x', ws_url: 'wss://a.example/ws', fallback_destination });
      expect(res.status, JSON.stringify(fallback_destination)).toBe(400);
    }
  });

  it('PUT updates partially; a masked header value keeps the stored one', async () => {
    const org = await api.org();
    const { json: agent } = await createAgent(org, { name: 'Bot', ws_url: 'wss://a.example/ws', headers: { Authorization: 'Bearer one', 'X-Tenant': 't1' } });
    const res = await api.call('PUT', `/api/v1/ai-agents/${agent.id}`, {
      token: org.token, body: { name: 'Bot 2', headers: { Authorization: MASK, 'X-Region': 'in' }, fallback_destination: { type: 'external', value: '+919944421125' } },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Agent;
    expect(body).toMatchObject({ name: 'Bot 2', ws_url: 'wss://a.example/ws', headers: { Authorization: MASK, 'X-Region': MASK } });
    expect(await storedHeaders(agent.id)).toEqual({ Authorization: 'Bearer one', 'X-Region': 'in' });

    const unknownMask = await api.call('PUT', `/api/v1/ai-agents/${agent.id}`, { token: org.token, body: { headers: { Cookie: MASK } } });
    expect(unknownMask.status).toBe(400);
    const badFallback = await api.call('PUT', `/api/v1/ai-agents/${agent.id}`, { token: org.token, body: { fallback_destination: { type: 'queue', value: '5001' } } });
    expect(badFallback.status).toBe(400);
    const cleared = (await (await api.call('PUT', `/api/v1/ai-agents/${agent.id}`, { token: org.token, body: { fallback_destination: null } })).json()) as Agent;
    expect(cleared.fallback_destination).toBeNull();
  });

  it('DELETE → 204, then 404', async () => {
    const org = await api.org();
    const { json: agent } = await createAgent(org, { name: 'Bot', ws_url: 'wss://a.example/ws' });
    expect((await api.call('DELETE', `/api/v1/ai-agents/${agent.id}`, { token: org.token })).status).toBe(204);
    expect((await api.call('GET', `/api/v1/ai-agents/${agent.id}`, { token: org.token })).status).toBe(404);
    expect((await api.call('PUT', `/api/v1/ai-agents/${agent.id}`, { token: org.token, body: { name: 'x' } })).status).toBe(404);
  });
});

describe('AI agents access', () => {
  it('401 without credentials', async () => {
    for (const [m, p] of [['GET', '/api/v1/ai-agents'], ['POST', '/api/v1/ai-agents'], ['GET', '/api/v1/ai-agents/x'], ['PUT', '/api/v1/ai-agents/x'], ['DELETE', '/api/v1/ai-agents/x']] as const) {
      expect((await api.call(m, p, m === 'GET' ? {} : { body: {} })).status).toBe(401);
    }
  });

  it('403 names the missing permission', async () => {
    const org = await api.org();
    const { json: agent } = await createAgent(org, { name: 'Bot', ws_url: 'wss://a.example/ws' });
    const ro = await keyWith(org, ['agent.read']);
    expect((await api.call('GET', '/api/v1/ai-agents', { apiKey: ro })).status).toBe(200);
    for (const [m, p] of [['POST', '/api/v1/ai-agents'], ['PUT', `/api/v1/ai-agents/${agent.id}`], ['DELETE', `/api/v1/ai-agents/${agent.id}`]] as const) {
      const res = await api.call(m, p, { apiKey: ro, body: { name: 'x', ws_url: 'wss://a.example/ws' } });
      expect(res.status).toBe(403);
      expect(((await res.json()) as Err).details!.missing_permission).toBe('agent.write');
    }
    const none = await keyWith(org, ['did.read']);
    const res = await api.call('GET', `/api/v1/ai-agents/${agent.id}`, { apiKey: none });
    expect(res.status).toBe(403);
    expect(((await res.json()) as Err).details!.missing_permission).toBe('agent.read');
  });

  it("another organization's agent is a 404 everywhere and cannot be a DID target", async () => {
    const a = await api.org();
    const b = await api.org();
    const { json: agent } = await createAgent(a, { name: 'Bot', ws_url: 'wss://a.example/ws' });
    expect((await api.call('GET', `/api/v1/ai-agents/${agent.id}`, { token: b.token })).status).toBe(404);
    expect((await api.call('PUT', `/api/v1/ai-agents/${agent.id}`, { token: b.token, body: { name: 'x' } })).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/ai-agents/${agent.id}`, { token: b.token })).status).toBe(404);
    expect(await (await api.call('GET', '/api/v1/ai-agents', { token: b.token })).json()).toEqual([]);
    expect((await api.call('GET', `/api/v1/ai-agents/${randomUUID()}`, { token: a.token })).status).toBe(404);

    const did = (await (await api.call('POST', '/api/v1/dids', { token: b.token, body: { number: '+918065978001', assign: true } })).json()) as { id: string };
    const bad = await api.call('PUT', `/api/v1/dids/${did.id}`, { token: b.token, body: { routing_type: 'ai_agent', routing_destination: agent.id } });
    expect(bad.status).toBe(400);
    const foreign = await api.call('PUT', `/api/v1/dids/${did.id}`, { token: a.token, body: { routing_type: 'ai_agent', routing_destination: agent.id } });
    expect(foreign.status).toBe(404);
  });
});
