/**
 * The IVR Solutions adapter's edges: how a token may come (and how a bad one is refused, in the vendor's
 * envelope), form bodies as JSON ones, fields it does not know or cannot carry out (a 400 naming them, never
 * ignored), what is not in the organization, and its OpenAPI entries.
 */
import { eq, notInArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, DID, buildWorld, openWorld, type World, type WorldTemplate } from './ivrsolutions-world.ts';
import { PREFIX, type Json } from './ivrsolutions-replay.ts';

let template: WorldTemplate;
let w: World;
beforeAll(async () => {
  template = await buildWorld();
}, 30_000);
afterAll(() => template.remove());
afterEach(async () => {
  await w.close();
});

async function send(path: string, init: { method?: string; headers?: Record<string, string>; body?: string | FormData | URLSearchParams; json?: unknown } = {}) {
  const headers = { ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const res = await w.h.api.app.request(`${PREFIX}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  return { status: res.status, body: (await res.json()) as Json };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** Calls this test placed (the world has some of its own). */
const placedHere = () => {
  const o = w.db.t.outboundCalls;
  return w.db.select({ kind: o.kind, ext_no: o.extNo, second_number: o.secondNumber }).from(o).where(notInArray(o.id, ['56789', '78901', '78902']));
};
const fields = (body: Json) => (body.errors as Json[]).map((e) => e.field as string).sort();

async function keyWith(permissions: string[]): Promise<string> {
  const res = await w.h.api.call('POST', '/api/v1/api-keys', { token: w.org.token, body: { name: 'narrow', permissions } });
  return ((await res.json()) as { key: string }).key;
}

describe('IVR Solutions adapter: tokens', () => {
  it('takes the token as Bearer (API key or login token), X-API-Key, query parameter, or body field', async () => {
    w = await openWorld(template);
    const ways = [
      await send('/api/get_call_status', { headers: bearer(w.key) }),
      await send('/api/get_call_status', { headers: bearer(w.org.token) }),
      await send('/api/get_call_status', { headers: { 'x-api-key': w.key } }),
      await send(`/api/get_call_status?token=${w.key}`),
      await send(`/api/get_call_status?token=${w.org.token}`),
      await send('/api/get_call_status', { json: { token: w.key } }),
      await send('/api/get_call_status', { body: new URLSearchParams({ token: w.key }) }),
    ];
    for (const r of ways) expect(r).toMatchObject({ status: 200, body: { status: true } });
  });

  it('a missing, invalid or revoked token is a 401 in the vendor\'s envelope; nothing is done', async () => {
    w = await openWorld(template);
    const c2c = { did: DID, ext_no: '2101', phone: '09876543210' };
    const missing = await send('/api/c2c_post', { json: c2c });
    expect(missing).toEqual({ status: 401, body: { status: 401, message: 'Token required: send Authorization: Bearer <token> or the token parameter' } });
    expect((await send('/api/c2c_post', { json: c2c, headers: bearer('not-a-token') })).body).toEqual({ status: 401, message: 'Invalid or expired token' });
    expect((await send('/api/c2c_post', { json: c2c, headers: bearer('ak_unknown') })).body).toEqual({ status: 401, message: 'Invalid or revoked API key' });
    expect((await send('/api/c2c_post', { json: c2c, headers: { authorization: 'Token x' } })).status).toBe(401);
    // A true/false endpoint says false.
    expect((await send('/api/add_to_ivrdialer', { json: { dialerid: 101, number: '09876543210' } })).body).toMatchObject({ status: false });
    expect(await placedHere()).toEqual([]);
  });

  it('a token without the permission is a 403 naming it', async () => {
    w = await openWorld(template);
    const readOnly = await keyWith(['call.read']);
    const res = await send('/api/c2c_post', { json: { did: DID, ext_no: '2101', phone: '09876543210' }, headers: bearer(readOnly) });
    expect(res).toEqual({ status: 403, body: { status: 403, message: 'Missing permission: call.write' } });
    expect((await send('/api/call_logs', { headers: bearer(readOnly) })).status).toBe(200);
    // An agent (member) may not add agents.
    expect((await send('/api/add_agent', { json: { name: 'X', email: 'x@acme.test', phonenumber: '9876543210', password: 'SecurePass@123' }, headers: bearer(w.agentToken) })).status).toBe(403);
  });

  it('the agent-context status needs an agent\'s token', async () => {
    w = await openWorld(template);
    const res = await send('/api/agent_did_live_status', { headers: bearer(w.key) });
    expect(res).toEqual({ status: 403, body: { status: false, message: 'This endpoint answers for an agent: send an agent\'s login token' } });
  });
});

describe('IVR Solutions adapter: bodies', () => {
  it('form-urlencoded and multipart bodies are the JSON ones; the GET route takes the same as query parameters', async () => {
    w = await openWorld(template);
    const c2c = { did: DID, ext_no: '2101', phone: '09876543210' };
    const form = await send('/api/c2c_post', { body: new URLSearchParams(c2c), headers: bearer(w.key) });
    const multipart = new FormData();
    for (const [k, v] of Object.entries(c2c)) multipart.set(k, v);
    const parts = await send('/api/c2c_post', { body: multipart, headers: bearer(w.key) });
    const get = await send(`/api/c2c_get?${new URLSearchParams({ ...c2c, token: w.key })}`);
    for (const r of [form, parts, get]) expect(r.body).toMatchObject({ status: 200, message: 'Call connecting. Please wait...', logid: expect.any(String) });
    expect(await placedHere()).toEqual(Array(3).fill({ kind: 'click_to_call', ext_no: '2101', second_number: '+919876543210' }));
  });

  it('numbers in a form are digits; a list in a form is its JSON text', async () => {
    w = await openWorld(template);
    const res = await send('/api/add_to_ivrdialerbulk', {
      body: new URLSearchParams({ dialerid: '101', numbers: JSON.stringify(['09876543210', { number: '09876543211', name: 'Jane' }]) }), headers: bearer(w.key),
    });
    expect(res.body).toEqual({ status: true, message: '2 numbers added to dialer successfully' });
    const dialer = await send('/api/create_text_dialer', {
      body: new URLSearchParams({ name: 'Form dialer', did_no: DID, no_of_call: '3', start_time: '10:00', end_time: '19:00', text_template_id: '101' }), headers: bearer(w.key),
    });
    expect(dialer.status).toBe(200);
    expect(await w.db.select({ concurrency: w.db.t.campaigns.concurrency }).from(w.db.t.campaigns).where(eq(w.db.t.campaigns.id, dialer.body.dialer_id))).toEqual([{ concurrency: 3 }]);
  });

  it('a field the endpoint does not have is a 400 naming it, never ignored', async () => {
    w = await openWorld(template);
    const res = await send('/api/c2c_post', { json: { did: DID, ext_no: '2101', phone: '09876543210', record: '1', caller_name: 'x' }, headers: bearer(w.key) });
    expect(res.status).toBe(400);
    expect(res.body.status).toBe(400);
    expect(fields(res.body)).toEqual(['caller_name', 'record']);
    expect(res.body.message).toContain('caller_name: not a field of this endpoint');
    expect(await placedHere()).toEqual([]);
  });

  it('missing or invalid fields, malformed JSON, a field twice with two values, a file: 400 naming them', async () => {
    w = await openWorld(template);
    const h = bearer(w.key);
    expect(fields((await send('/api/c2c_post', { json: { did: DID }, headers: h })).body)).toEqual(['ext_no', 'phone']);
    expect(fields((await send('/api/c2c_post', { json: { did: DID, ext_no: '2101', phone: 'call me' }, headers: h })).body)).toEqual(['phone']);
    expect(fields((await send('/api/c2c_post', { json: { did: '+918000000000', ext_no: '2101', phone: '09876543210' }, headers: h })).body)).toEqual(['did']);
    expect(fields((await send('/api/create_text_dialer', { json: { name: 'x', did_no: DID, no_of_call: 'five', start_time: '9am', end_time: '18:00', text_template_id: 101 }, headers: h })).body))
      .toEqual(['no_of_call', 'start_time']);
    expect(fields((await send('/api/change_dialer_status', { json: { dialerid: 101, status: 'running' }, headers: h })).body)).toEqual(['status']);
    expect((await send('/api/c2c_post', { body: '{"did":', headers: { ...h, 'content-type': 'application/json' } })).body)
      .toMatchObject({ status: 400, errors: [{ field: '(body)', message: 'malformed JSON' }] });
    expect(fields((await send(`/api/c2c_post?phone=09876543211&token=${w.key}`, { json: { did: DID, ext_no: '2101', phone: '09876543210' } })).body)).toEqual(['phone']);
    const withFile = new FormData();
    withFile.set('listname', new File(['x'], 'x.csv'));
    expect(fields((await send('/api/create_customer_list', { body: withFile, headers: h })).body)).toEqual(['listname']);
    expect(fields((await send('/api/create_customer_list', { body: 'listname', headers: { ...h, 'content-type': 'text/plain' } })).body)).toEqual(['(body)']);
  });

  it('our services\' 400s keep the vendor\'s field names', async () => {
    w = await openWorld(template);
    const h = bearer(w.key);
    const weak = await send('/api/add_agent', { json: { name: 'A', email: 'a@acme.test', phonenumber: 'nope', password: 'SecurePass@123' }, headers: h });
    expect(fields(weak.body)).toEqual(['phonenumber']);
    const did = await send('/api/update_agent_did', { json: { agent_ext: '2101', did_num: '+918000000000' }, headers: h });
    expect(fields(did.body)).toEqual(['did_num']);
    const bot = await send('/api/dial_by_voicebot', { json: { Voicechat_id: '9999', customer_no: '09876543210', did_num: DID }, headers: h });
    expect(fields(bot.body)).toEqual(['Voicechat_id']);
    const note = await send('/api/update_call_note', { json: { record_id: '12345', call_status: 99, call_type: 'incoming' }, headers: h });
    expect(fields(note.body)).toEqual(['call_status']);
    const type = await send('/api/update_call_note', { json: { record_id: '12345', call_status: 1, call_type: 'c2c' }, headers: h });
    expect(fields(type.body)).toEqual(['call_type']);
    expect(type.body.errors[0].message).toContain('inbound call');
  });
});

describe('IVR Solutions adapter: what Switchboard cannot do is a 400 naming the field', () => {
  const cases: Array<[string, string, Json, string[]]> = [
    ['masking update with a message', '/api/click_connect_update', { action: 'cancel', body: 'Bye', did: DID, first_number: '+919876543210' }, ['body']],
    ['masking actions other than cancel', '/api/click_connect_update', { action: 'extend', did: DID, first_number: '+919876543210' }, ['action']],
    ['a flow call with a message', '/api/dial_flow_get', { did: DID, flow: '1001', phone: '09876543210', body: 'Hello' }, ['body']],
    ['records without a dialer', '/api/add_dialer_records', { recordList: [{ number: '09876543210' }] }, ['dialerid']],
    ['call forwarding, a connection flag, KYC, a recording setting', '/api/create_group_extension',
      { call_forwarding: '1', connection: '1', kyc_required: '1', recording_id: 7, password: 'SecurePass@123' }, ['call_forwarding', 'connection', 'kyc_required', 'recording_id']],
    ['a group DID without an email (the login)', '/api/group_did_setup', { call_forwarding: '0', connection: '0', did_no: DID, name: 'Team', password: 'SecurePass@123' }, ['email']],
    ['a bot transfer to a SIP URI', '/api/dial_by_aivoicebot', { customer_no: '09876543210', did_num: DID, wss_url: 'wss://b.example.com', sip_url: 'sip:x@y' }, ['sip_url']],
    ['a configured bot and another WebSocket', '/api/dial_by_aivoicebot', { customer_no: '09876543210', did_num: DID, wss_url: 'wss://b.example.com', Voicechat_id: '4821' }, ['wss_url']],
    ['a bot call without a caller ID', '/api/dial_by_aivoicebot', { customer_no: '09876543210', wss_url: 'wss://b.example.com' }, ['did_num']],
    ['a bad WebSocket header', '/api/dial_by_aivoicebot', { customer_no: '09876543210', did_num: DID, wss_url: 'wss://b.example.com', wss_header: 'no colon' }, ['wss_header']],
    ['bot training data', '/api/get_voicebot', { voicebot_id: '4821', aitraingdata: '1' }, ['aitraingdata']],
    ['number availability levels', '/ivrappv2/search_did', { availabilty_level: '2' }, ['availabilty_level']],
    ['a region that is not ours', '/api/search_did', { country_code: 'IN', region: '6' }, ['region']],
    ['an unknown country', '/api/search_did', { country_code: 'XX', region: '91-11' }, ['country_code']],
    ['a search pattern kind we do not know', '/api/search_did', { country_code: 'IN', region: '91-11', pattern: '45', search_pattern: 'vanity' }, ['search_pattern']],
    ['a number of another country', '/ivrappv2/buy_did', { country: 'US', number: '+911143104501' }, ['country']],
  ];
  for (const [what, path, json, refused] of cases) {
    it(`${what}: ${path}`, async () => {
      w = await openWorld(template);
      const res = await send(path, { json, headers: bearer(w.key) });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(fields(res.body)).toEqual([...refused].sort());
      expect(await placedHere()).toEqual([]);
    });
  }
});

describe('IVR Solutions adapter: not found, conflicts, paths', () => {
  it('what the request names must be the organization\'s: 404 (or 409) in the vendor\'s envelope', async () => {
    w = await openWorld(template);
    const h = bearer(w.key);
    expect(await send('/api/change_dialer_status', { json: { dialerid: 999, status: 'on' }, headers: h })).toEqual({ status: 404, body: { status: false, message: 'Campaign not found' } });
    expect((await send('/api/click_connect_update', { json: { action: 'cancel', did: DID, first_number: '+919876543210' }, headers: h })).body)
      .toEqual({ status: 404, message: 'No active masking session between this DID and first number' });
    expect((await send('/api/set_extension_expiry', { json: { ext_no: '2199', expiry_date: '2030-01-01' }, headers: h })).status).toBe(404);
    expect((await send('/api/get_contact', { json: { phone: '09000000000' }, headers: h })).body).toEqual({ status: false, message: 'No contact with this number' });
    expect((await send('/api/add_to_ivrdialer', { json: { dialerid: 101, number: '+919800000001' }, headers: h })))
      .toEqual({ status: 409, body: { status: false, message: '+919800000001 is already in the dialer' } });
    expect((await send('/api/add_agent', { json: { name: 'Again', email: AGENT.email, phonenumber: '9876543210', password: 'SecurePass@123' }, headers: h })).status).toBe(409);
    expect(await send('/api/nothing_here', { headers: h })).toEqual({ status: 404, body: { status: 404, message: 'IVR Solutions has no GET /api/nothing_here here' } });
  });

  it('placing a call without FreeSWITCH is a 503 in the vendor\'s envelope', async () => {
    w = await openWorld(template);
    w.h.api.deps.calls = undefined;
    const res = await send('/api/c2c_post', { json: { did: DID, ext_no: '2101', phone: '09876543210' }, headers: bearer(w.key) });
    expect(res).toEqual({ status: 503, body: { status: 503, message: 'Placing calls is not available: no FreeSWITCH connection is configured' } });
  });

  it('is in the OpenAPI document under its own tag, with JSON and form bodies and the token parameter', async () => {
    w = await openWorld(template);
    const doc = (await (await w.h.api.app.request('/openapi.json')).json()) as Json;
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith(PREFIX));
    expect(paths).toEqual(expect.arrayContaining([`${PREFIX}/api/c2c_get`, `${PREFIX}/api/c2c_post`, `${PREFIX}/ivrappv2/buy_did`, `${PREFIX}/api/dial_by_aivoicebot`]));
    expect(paths.length).toBeGreaterThanOrEqual(60);
    const post = doc.paths[`${PREFIX}/api/c2c_post`].post;
    expect(post.tags).toEqual(['Compat: IVR Solutions']);
    expect(Object.keys(post.requestBody.content)).toEqual(['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
    expect(post.description).toContain('Path as in the vendor\'s API document');
    expect(doc.paths[`${PREFIX}/api/c2c_get`].get.parameters.map((p: Json) => p.name)).toEqual(['did', 'ext_no', 'phone']);
    expect(doc.components.securitySchemes.ivrSolutionsToken).toEqual({ type: 'apiKey', in: 'query', name: 'token' });
  });
});
