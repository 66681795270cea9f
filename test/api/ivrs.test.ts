import { count } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';
import { addAiAgent, addDid, addExtension, addQueue, apiKeyWith, createIvr, fieldsOf, type ErrorBody, type IvrJson } from './ivrs.fixtures.ts';

let api: AsyncTestApi;
let org: TestOrg;
beforeEach(async () => {
  api = await openTestApi();
  org = await api.org('Acme');
});
afterEach(() => api.close());

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('POST /api/v1/ivrs', () => {
  it('201 with the seed defaults and the extra fields', async () => {
    const res = await api.call('POST', '/api/v1/ivrs', { token: org.token, body: { name: ' Main Menu ', extension: ' 7001 ' } });
    expect(res.status).toBe(201);
    const ivr = (await res.json()) as IvrJson;
    expect(ivr).toMatchObject({
      org_id: org.orgId, name: 'Main Menu', extension: '7001', description: null, greeting_prompt: null, greeting_text: null,
      greeting_language: 'en-IN', greeting_voice: 'en-IN-Wavenet-D', timeout: 10, max_retries: 3, timeout_retries: null, invalid_retries: null,
      enable_direct_dial: false,
      inter_digit_timeout: 3, direct_dial_policy: 'disabled', direct_dial_list: [], timeout_prompt: null, invalid_prompt: null,
      timeout_destination: null, invalid_destination: null, status: 'active',
    });
    expect(ivr.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof ivr.createdAt).toBe('string');
    expect(ivr).not.toHaveProperty('menuOptions');
  });

  it('accepts every field; timeout 0 means wait forever; destinations are checked and stored', async () => {
    await addQueue(api, org.orgId, '5001');
    const ivr = await createIvr(api, org, {
      description: 'Reception', timeout: 0, max_retries: 5, inter_digit_timeout: 4, greeting_language: 'hi-IN', greeting_voice: 'hi-IN-Wavenet-A',
      timeout_prompt: 'sorry_no_input', invalid_prompt: 'That is not a valid option.',
      timeout_destination: { type: 'queue', value: '5001' }, invalid_destination: { type: 'hangup', value: null },
      direct_dial_policy: 'allow_list', direct_dial_list: ['1001', '1002', '1001'],
    });
    expect(ivr).toMatchObject({
      timeout: 0, max_retries: 5, inter_digit_timeout: 4, greeting_language: 'hi-IN', timeout_prompt: 'sorry_no_input',
      timeout_destination: { type: 'queue', value: '5001' }, invalid_destination: { type: 'hangup', value: null },
      enable_direct_dial: true, direct_dial_policy: 'allow_list', direct_dial_list: ['1001', '1002'],
    });
  });

  it('enable_direct_dial true without a policy means policy "all"', async () => {
    expect(await createIvr(api, org, { enable_direct_dial: true })).toMatchObject({ enable_direct_dial: true, direct_dial_policy: 'all' });
  });

  it('400 lists every failing field', async () => {
    const res = await api.call('POST', '/api/v1/ivrs', {
      token: org.token,
      body: { extension: '70011', timeout: 121, max_retries: 0, inter_digit_timeout: 31, direct_dial_list: ['12'], status: 'paused' },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.code).toBe('validation_error');
    expect(fieldsOf(body)).toEqual(['direct_dial_list.0', 'extension', 'inter_digit_timeout', 'max_retries', 'name', 'status', 'timeout']);
  });

  it('400 for destinations that do not exist and for contradicting direct-dial fields', async () => {
    const res = await api.call('POST', '/api/v1/ivrs', {
      token: org.token,
      body: {
        name: 'X', extension: '7001', timeout_destination: { type: 'queue', value: '5999' }, invalid_destination: { type: 'ivr', value: '7002' },
        direct_dial_policy: 'disabled', enable_direct_dial: true,
      },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(fieldsOf(body)).toEqual(['enable_direct_dial', 'invalid_destination.value', 'timeout_destination.value']);
    expect(body.error).toContain('UUID');
    const bad = await api.call('POST', '/api/v1/ivrs', { token: org.token, body: { name: 'X', extension: '7001', direct_dial_policy: 'allow_list' } });
    expect(fieldsOf((await bad.json()) as ErrorBody)).toEqual(['direct_dial_list']);
  });

  it('400 for malformed JSON and a missing body', async () => {
    expect((await api.call('POST', '/api/v1/ivrs', { token: org.token, body: '{"name":' })).status).toBe(400);
    expect((await api.call('POST', '/api/v1/ivrs', { token: org.token })).status).toBe(400);
  });

  it('409 when the extension is used by an IVR, a queue or a user extension', async () => {
    const first = await createIvr(api, org);
    const queue = await addQueue(api, org.orgId, '5001', 'Sales');
    const user = await addExtension(api, org.orgId, '1001', 'Asha');
    const cases: [string, Record<string, unknown>, string][] = [
      ['7001', { type: 'ivr', id: first.id, name: 'Main Menu', number: '7001' }, 'Extension 7001 is already used by IVR "Main Menu"'],
      ['5001', { type: 'queue', id: queue.id, name: 'Sales', number: '5001' }, 'Extension 5001 is already used by queue "Sales"'],
      ['1001', { type: 'extension', id: user.id, name: 'Asha', number: '1001' }, 'Extension 1001 is already used by user "Asha"'],
    ];
    for (const [extension, conflict, message] of cases) {
      const res = await api.call('POST', '/api/v1/ivrs', { token: org.token, body: { name: 'Other', extension } });
      expect(res.status).toBe(409);
      const body = (await res.json()) as ErrorBody;
      expect(body.error).toBe(message);
      expect(body.details?.conflict).toEqual(conflict);
    }
  });

  it('the same extension is fine in another organization', async () => {
    await createIvr(api, org);
    const other = await api.org('Other');
    expect((await createIvr(api, other)).extension).toBe('7001');
  });
});

describe('GET /api/v1/ivrs and /api/v1/ivrs/{id}', () => {
  it('lists newest first with menuOptions, only for the caller\'s org', async () => {
    const a = await createIvr(api, org, { name: 'A', extension: '7001' });
    const b = await createIvr(api, org, { name: 'B', extension: '7002' });
    const other = await api.org('Other');
    await createIvr(api, other, { name: 'Theirs', extension: '7003' });
    const res = await api.call('GET', '/api/v1/ivrs', { token: org.token });
    expect(res.status).toBe(200);
    const list = (await res.json()) as IvrJson[];
    expect(list.map((i) => i.id)).toEqual([b.id, a.id]);
    expect(list[0]?.menuOptions).toEqual([]);
  });

  it('gets one with its menu; 404 for unknown ids and another org\'s IVR', async () => {
    const ivr = await createIvr(api, org);
    const res = await api.call('GET', `/api/v1/ivrs/${ivr.id}`, { token: org.token });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: ivr.id, menuOptions: [] });
    const other = await api.org('Other');
    for (const [token, id] of [[org.token, UNKNOWN], [org.token, 'not-a-uuid'], [other.token, ivr.id]] as const) {
      const r = await api.call('GET', `/api/v1/ivrs/${id}`, { token });
      expect(r.status).toBe(404);
      expect(await r.json()).toMatchObject({ error: 'IVR not found', code: 'not_found' });
    }
  });
});

describe('PUT /api/v1/ivrs/{id}', () => {
  it('timeout_retries and invalid_retries: stored, returned, null goes back to max_retries, 1-10 only', async () => {
    const ivr = await createIvr(api, org, { max_retries: 4, timeout_retries: 2, invalid_retries: 5 });
    expect(ivr).toMatchObject({ max_retries: 4, timeout_retries: 2, invalid_retries: 5 });
    const got = await api.call('GET', `/api/v1/ivrs/${ivr.id}`, { token: org.token });
    expect(await got.json()).toMatchObject({ max_retries: 4, timeout_retries: 2, invalid_retries: 5 });
    const list = (await (await api.call('GET', '/api/v1/ivrs', { token: org.token })).json()) as IvrJson[];
    expect(list[0]).toMatchObject({ timeout_retries: 2, invalid_retries: 5 });

    const put = async (body: Record<string, unknown>) => api.call('PUT', `/api/v1/ivrs/${ivr.id}`, { token: org.token, body });
    expect(await (await put({ timeout_retries: 10 })).json()).toMatchObject({ timeout_retries: 10, invalid_retries: 5 });
    expect(await (await put({ invalid_retries: null })).json()).toMatchObject({ max_retries: 4, timeout_retries: 10, invalid_retries: null });

    const bad = await put({ timeout_retries: 0, invalid_retries: 11 });
    expect(bad.status).toBe(400);
    expect(fieldsOf((await bad.json()) as ErrorBody)).toEqual(['invalid_retries', 'timeout_retries']);
    const fraction = await api.call('POST', '/api/v1/ivrs', { token: org.token, body: { name: 'X', extension: '7002', timeout_retries: 1.5, invalid_retries: '2' } });
    expect(fieldsOf((await fraction.json()) as ErrorBody)).toEqual(['invalid_retries', 'timeout_retries']);
    expect(await (await api.call('GET', `/api/v1/ivrs/${ivr.id}`, { token: org.token })).json()).toMatchObject({ timeout_retries: 10, invalid_retries: null });
  });

  it('updates only the given fields', async () => {
    const ivr = await createIvr(api, org, { description: 'Keep me' });
    const res = await api.call('PUT', `/api/v1/ivrs/${ivr.id}`, { token: org.token, body: { name: 'Renamed', timeout: 20, status: 'inactive' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as IvrJson;
    expect(body).toMatchObject({ name: 'Renamed', timeout: 20, status: 'inactive', description: 'Keep me', extension: '7001' });
    expect(body).not.toHaveProperty('menuOptions');
  });

  it('keeps enable_direct_dial and direct_dial_policy consistent', async () => {
    const ivr = await createIvr(api, org);
    const put = async (body: Record<string, unknown>) => (await api.call('PUT', `/api/v1/ivrs/${ivr.id}`, { token: org.token, body })).json();
    expect(await put({ direct_dial_policy: 'deny_list', direct_dial_list: ['1001'] })).toMatchObject({ enable_direct_dial: true, direct_dial_policy: 'deny_list' });
    expect(await put({ enable_direct_dial: true })).toMatchObject({ direct_dial_policy: 'deny_list' });
    expect(await put({ enable_direct_dial: false })).toMatchObject({ enable_direct_dial: false, direct_dial_policy: 'disabled' });
    expect(await put({ enable_direct_dial: true })).toMatchObject({ direct_dial_policy: 'all' });
  });

  it('an unchanged extension is not a conflict; a taken one is 409', async () => {
    const ivr = await createIvr(api, org);
    await addQueue(api, org.orgId, '5001', 'Sales');
    expect((await api.call('PUT', `/api/v1/ivrs/${ivr.id}`, { token: org.token, body: { extension: '7001' } })).status).toBe(200);
    const res = await api.call('PUT', `/api/v1/ivrs/${ivr.id}`, { token: org.token, body: { extension: '5001' } });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error).toBe('Extension 5001 is already used by queue "Sales"');
  });

  it('400 for bad fields, 404 for unknown and cross-org ids', async () => {
    const ivr = await createIvr(api, org);
    const bad = await api.call('PUT', `/api/v1/ivrs/${ivr.id}`, { token: org.token, body: { timeout: -1, timeout_destination: { type: 'play_prompt', value: 'x' } } });
    expect(bad.status).toBe(400);
    expect(fieldsOf((await bad.json()) as ErrorBody)).toEqual(['timeout', 'timeout_destination.type']);
    const other = await api.org('Other');
    expect((await api.call('PUT', `/api/v1/ivrs/${UNKNOWN}`, { token: org.token, body: { name: 'x' } })).status).toBe(404);
    expect((await api.call('PUT', `/api/v1/ivrs/${ivr.id}`, { token: other.token, body: { name: 'x' } })).status).toBe(404);
  });
});

describe('DELETE /api/v1/ivrs/{id}', () => {
  it('204 and the menu goes with it', async () => {
    const ivr = await createIvr(api, org);
    await api.call('PUT', `/api/v1/ivrs/${ivr.id}/menu`, { token: org.token, body: { options: [{ digit: '9', action_type: 'hangup' }] } });
    const res = await api.call('DELETE', `/api/v1/ivrs/${ivr.id}`, { token: org.token });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    const { adb } = api.deps;
    expect(await adb.select({ n: count() }).from(adb.t.ivrMenuOptions)).toEqual([{ n: 0 }]);
    expect((await api.call('GET', `/api/v1/ivrs/${ivr.id}`, { token: org.token })).status).toBe(404);
  });

  it('200 naming the DIDs that are now dead and the references that dangle', async () => {
    const target = await createIvr(api, org, { name: 'Target', extension: '7001' });
    const did = await addDid(api, org.orgId, '+918065978001', { type: 'ivr', destination: target.id });
    await addDid(api, org.orgId, '+918065978002', { type: 'queue', destination: '5001' });
    const parent = await createIvr(api, org, { name: 'Parent', extension: '7002', timeout_destination: { type: 'ivr', value: target.id } });
    await api.call('PUT', `/api/v1/ivrs/${parent.id}/menu`, { token: org.token, body: { options: [{ digit: '3', action_type: 'ivr', action_destination: target.id }] } });
    const agent = await addAiAgent(api, org.orgId, { type: 'ivr', value: target.id });

    const res = await api.call('DELETE', `/api/v1/ivrs/${target.id}`, { token: org.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { success: boolean; message: string; dead_dids: unknown[]; dangling_references: unknown[] };
    expect(body.success).toBe(true);
    expect(body.message).toContain('+918065978001');
    expect(body.dead_dids).toEqual([{ id: did.id, number: '+918065978001' }]);
    expect(body.dangling_references).toEqual(
      expect.arrayContaining([
        { type: 'ivr', id: parent.id, name: 'Parent', field: 'menu option 3' },
        { type: 'ivr', id: parent.id, name: 'Parent', field: 'timeout_destination' },
        { type: 'ai_agent', id: agent.id, name: 'Bot', field: 'fallback_destination' },
      ]),
    );
    expect(body.dangling_references).toHaveLength(3);
  });

  it('404 for unknown and cross-org ids (and the other org\'s IVR survives)', async () => {
    const ivr = await createIvr(api, org);
    const other = await api.org('Other');
    expect((await api.call('DELETE', `/api/v1/ivrs/${UNKNOWN}`, { token: org.token })).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/ivrs/${ivr.id}`, { token: other.token })).status).toBe(404);
    expect((await api.call('GET', `/api/v1/ivrs/${ivr.id}`, { token: org.token })).status).toBe(200);
  });
});

describe('authentication and permissions', () => {
  const endpoints = (id: string): [string, string, unknown?][] => [
    ['GET', '/api/v1/ivrs'],
    ['GET', `/api/v1/ivrs/${id}`],
    ['POST', '/api/v1/ivrs', { name: 'X', extension: '7009' }],
    ['PUT', `/api/v1/ivrs/${id}`, { name: 'Y' }],
    ['DELETE', `/api/v1/ivrs/${id}`],
    ['PUT', `/api/v1/ivrs/${id}/menu`, { options: [] }],
    ['POST', `/api/v1/ivrs/${id}/generate-greeting`, { text: 'Hello' }],
    ['GET', `/api/v1/ivrs/${id}/greeting-audio`],
  ];

  it('401 on every endpoint without credentials', async () => {
    const ivr = await createIvr(api, org);
    for (const [method, path, body] of endpoints(ivr.id)) {
      const res = await api.call(method, path, { body });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('an ivr.read key reads, and gets 403 naming ivr.write on every write', async () => {
    const ivr = await createIvr(api, org);
    const key = await apiKeyWith(api, org, ['ivr.read']);
    for (const [method, path, body] of endpoints(ivr.id)) {
      const res = await api.call(method, path, { apiKey: key, body });
      if (method === 'GET') {
        expect(res.status, `${method} ${path}`).not.toBe(403);
        continue;
      }
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'forbidden', details: { missing_permission: 'ivr.write' } });
    }
    const none = await apiKeyWith(api, org, ['did.read']);
    const res = await api.call('GET', '/api/v1/ivrs', { apiKey: none });
    expect(res.status).toBe(403);
  });

  it('an ivr.* key can write', async () => {
    const key = await apiKeyWith(api, org, ['ivr.*']);
    expect((await api.call('POST', '/api/v1/ivrs', { apiKey: key, body: { name: 'K', extension: '7100' } })).status).toBe(201);
  });
});
