/**
 * Yeastar P-series' "Query Information of an IVR" (seed 004) at /compat/yeastar/openapi/v1.0/ivr/get, with the
 * ivr/update (the body mirrors ivr/get's data) and ivr/list that follow Yeastar's conventions. The document's request
 * example is replayed as printed (its access_token is Yeastar's, not ours: a 401 in Yeastar's envelope), then with
 * our API key as access_token, the one substitution, against an organization whose IVR 0005 is id 5. The answer is
 * checked field by field against the documented response example.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeWav } from '../../src/media/wav.ts';
import { soundsDir } from '../../src/runtime/env.ts';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';
import { addExtension, addQueue, apiKeyWith } from '../api/ivrs.fixtures.ts';
import { expectShape } from './shape.ts';

/** The documented response example, as printed. */
const DOC_RESPONSE = {
  errcode: 0,
  errmsg: 'SUCCESS',
  data: {
    id: 5, number: '6204', name: 'Virtual Receptionist', prompt: 'default', prompt_repeat: 3, resp_timeout: 3, digit_timeout: 3,
    dial_ext_option: 'allow', enb_dial_outb_routes: 1, enb_dial_check_vm: 0,
    press0_dest: 'conference', press0_dest_prefix: '', press0_dest_value: '1', allow_out_record0: 0,
    press1_dest: 'extension', press1_dest_prefix: '', press1_dest_value: '73', allow_out_record1: 0,
    press2_dest: 'ext_vm', press2_dest_prefix: '123', press2_dest_value: '73', allow_out_record2: 0,
    press3_dest: 'ivr', press3_dest_prefix: '', press3_dest_value: '1', allow_out_record3: 0,
    press4_dest: 'ring_group', press4_dest_prefix: '', press4_dest_value: '4', allow_out_record4: 0,
    press5_dest: 'queue', press5_dest_prefix: '', press5_dest_value: '1', allow_out_record5: 0,
    press6_dest: 'play_greeting', press6_dest_prefix: '3', press6_dest_value: 'IVR.wav', allow_out_record6: 0,
    press7_dest: 'play_prompt', press7_dest_prefix: '5', press7_dest_value: 'IVR.wav', allow_out_record7: 0,
    press8_dest: 'external_num', press8_dest_prefix: '123', press8_dest_value: '123456', allow_out_record8: 0,
    press9_dest: 'ext_vm', press9_dest_prefix: '', press9_dest_value: '73', allow_out_record9: 0,
    press_hash_dest: '', press_hash_dest_prefix: '', press_hash_dest_value: '', allow_out_record_hash: 0,
    press_star_dest: '', press_star_dest_prefix: '', press_star_dest_value: '', allow_out_record_star: 0,
    timeout_dest: '', timeout_dest_prefix: '', timeout_dest_value: '', allow_out_record_timeout: 0,
    invalid_dest: '', invalid_dest_prefix: '', invalid_dest_value: '', allow_out_record_invalid: 0,
    dial_ext_list: [{ text: 'Support', text2: 'Support', value: '86', type: 'ext_group' }, { text: 'Phillip Huff', text2: '1001', value: '85', type: 'extension' }],
    dial_outb_route_list: [{ text: 'to39', value: '1' }],
    alert_info: '', prompt_manger_enb: 0, prompt_manger_password: '****',
  },
};
/** The request example, as printed (Host: 192.168.5.150:8088 is the PBX's address; ours is the app). */
const DOC_REQUEST = '/openapi/v1.0/ivr/get?access_token=sRuPSzYcPflKgdwSVpA1lhxlVLw0q0z1&id=5';
const BASE = '/compat/yeastar';

let api: AsyncTestApi;
let org: TestOrg;
let key: string;
let ivr5: string;

const native = (method: string, path: string, body?: unknown) => api.call(method, `/api/v1${path}`, { token: org.token, ...(body !== undefined && { body }) });
const yeastar = (path: string, init: RequestInit = {}) => api.app.request(`${BASE}${path}`, init);
const get = async (id: number | string = 5, token = key) => yeastar(`/openapi/v1.0/ivr/get?access_token=${token}&id=${id}`);
const data = async (id: number | string = 5) => ((await (await get(id)).json()) as { data: Record<string, unknown> }).data;
const update = (body: unknown, token = key) =>
  yeastar(`/openapi/v1.0/ivr/update?access_token=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const failed = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { errcode: number; errmsg: string; invalid_param_list?: { field: string; message: string }[]; duplicate_field_list?: { field: string; value: string }[] };
  expect(body.errcode).not.toBe(0);
  return body;
};
const fieldsOf = (body: { invalid_param_list?: { field: string }[] }) => (body.invalid_param_list ?? []).map((p) => p.field);

beforeEach(async () => {
  api = await openTestApi();
  org = await api.org('Acme');
  key = await apiKeyWith(api, org, ['ivr.*']);
  await addExtension(api, org.orgId, '0073', 'Reception');
  await addExtension(api, org.orgId, '1001', 'Phillip Huff');
  await addQueue(api, org.orgId, '0002', 'Sales');
  const dir = soundsDir(api.config);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'IVR.wav'), encodeWav(new Int16Array(800).fill(500), 8000));
  const first = (await (await native('POST', '/ivrs', { name: 'Info', extension: '0001' })).json()) as { id: string };
  const created = await native('POST', '/ivrs', {
    name: 'Virtual Receptionist', extension: '0005', timeout: 3, inter_digit_timeout: 3, max_retries: 3, direct_dial_policy: 'allow_list', direct_dial_list: ['1001'],
  });
  ivr5 = ((await created.json()) as { id: string }).id;
  const menu = await native('PUT', `/ivrs/${ivr5}/menu`, { options: [
    { digit: '0', action_type: 'hangup' },
    { digit: '1', action_type: 'extension', action_destination: '0073' },
    { digit: '2', action_type: 'voicemail', action_destination: '0073' },
    { digit: '3', action_type: 'ivr', action_destination: first.id },
    { digit: '5', action_type: 'queue', action_destination: '0002' },
    { digit: '7', action_type: 'play_prompt', action_destination: resolve(dir, 'IVR.wav') },
    { digit: '8', action_type: 'external', action_destination: '+919944421125' },
    { digit: '9', action_type: 'voicemail', action_destination: '0073' },
  ] });
  expect(menu.status).toBe(200);
});
afterEach(() => api.close());

describe('the request example: GET /openapi/v1.0/ivr/get?access_token=…&id=5', () => {
  it('as printed: the access_token is Yeastar\'s, not ours: 401 in Yeastar\'s envelope naming access_token', async () => {
    const body = await failed(await yeastar(DOC_REQUEST), 401);
    expect(body).toMatchObject({ errcode: -1, errmsg: 'FAILURE', invalid_param_list: [{ field: 'access_token', validation_type: 'unauthorized' }] });
  });

  it('with our API key as access_token: the documented response, field by field', async () => {
    const res = await yeastar(DOC_REQUEST.replace('sRuPSzYcPflKgdwSVpA1lhxlVLw0q0z1', key));
    expect(res.status).toBe(200);
    const body = (await res.json()) as typeof DOC_RESPONSE;
    // Same keys and types; restrict_dial_ext_list is in the documented parameter table (not in that example).
    expectShape(body, { ...DOC_RESPONSE, data: { ...DOC_RESPONSE.data, dial_outb_route_list: [] } }, { extraKeys: ['restrict_dial_ext_list'] });
    // In the documented order.
    expect(Object.keys(body.data).filter((k) => k !== 'restrict_dial_ext_list')).toEqual(Object.keys(DOC_RESPONSE.data));
    expect(body).toMatchObject({
      errcode: 0, errmsg: 'SUCCESS',
      data: {
        id: 5, number: '0005', name: 'Virtual Receptionist', prompt: 'default', prompt_repeat: 3, resp_timeout: 3, digit_timeout: 3,
        dial_ext_option: 'allow', enb_dial_outb_routes: 0, enb_dial_check_vm: 0,
        press0_dest: 'end_call', press0_dest_prefix: '', press0_dest_value: '',
        press1_dest: 'extension', press1_dest_prefix: '', press1_dest_value: '73',
        press2_dest: 'ext_vm', press2_dest_value: '73',
        press3_dest: 'ivr', press3_dest_value: '1',
        press4_dest: '', press4_dest_value: '',
        press5_dest: 'queue', press5_dest_value: '2',
        press6_dest: '',
        press7_dest: 'play_prompt', press7_dest_prefix: '1', press7_dest_value: 'IVR.wav',
        press8_dest: 'external_num', press8_dest_prefix: '', press8_dest_value: '+919944421125',
        press9_dest: 'ext_vm', press9_dest_value: '73',
        timeout_dest: '', invalid_dest: '', allow_out_record0: 0,
        dial_ext_list: [{ text: 'Phillip Huff', text2: '1001', value: '1001', type: 'extension' }],
        restrict_dial_ext_list: [], dial_outb_route_list: [], alert_info: '', prompt_manger_enb: 0, prompt_manger_password: '',
      },
    });
  });

  it('the headers our API takes work too, and a login JWT as access_token', async () => {
    expect((await yeastar('/openapi/v1.0/ivr/get?id=5', { headers: { 'x-api-key': key } })).status).toBe(200);
    expect((await get(5, org.token)).status).toBe(200);
  });

  it('an unknown id is a 404 naming id; an id that is no integer a 400; a missing access_token a 401', async () => {
    expect(await failed(await get(6), 404)).toMatchObject({ errcode: -1, errmsg: 'FAILURE', invalid_param_list: [{ field: 'id', value: '6', validation_type: 'not_found' }] });
    expect(await failed(await get('abc'), 400)).toMatchObject({ errcode: 40002, errmsg: 'PARAMETER ERROR', invalid_param_list: [{ field: 'id' }] });
    expect(fieldsOf(await failed(await yeastar('/openapi/v1.0/ivr/get?id=5'), 401))).toEqual(['access_token']);
    expect((await failed(await yeastar(`/openapi/v1.0/ivr/get?access_token=${key}`), 400)).invalid_param_list).toEqual([{ field: 'id', validation_type: 'required', message: 'is required' }]);
    expect(fieldsOf(await failed(await yeastar(`/openapi/v1.0/ivr/get?access_token=${key}&id=5&extra=1`), 400))).toEqual(['extra']);
    const other = await api.org('Other');
    expect((await failed(await get(5, other.token), 404)).invalid_param_list?.[0]).toMatchObject({ field: 'id' });
  });

  it('menu options of types Yeastar has no word for show under our type name', async () => {
    await native('PUT', `/ivrs/${ivr5}/menu`, { options: [{ digit: '4', action_type: 'ai_agent', action_destination: 'wss://bot.example/ws' }, { digit: '#', action_type: 'repeat' }] });
    expect(await data()).toMatchObject({ press4_dest: 'ai_agent', press4_dest_value: 'wss://bot.example/ws', press_hash_dest: 'repeat', press_hash_dest_value: '' });
  });
});

describe('ivr/list (Yeastar\'s list, to find ids)', () => {
  it('lists every IVR by id, with paging and sorting', async () => {
    const res = await yeastar(`/openapi/v1.0/ivr/list?access_token=${key}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      errcode: 0, errmsg: 'SUCCESS', total_number: 2,
      data: [
        { id: 1, number: '0001', name: 'Info', dial_ext_option: 'disable', enb_dial_outb_routes: 0 },
        { id: 5, number: '0005', name: 'Virtual Receptionist', dial_ext_option: 'allow', enb_dial_outb_routes: 0 },
      ],
    });
    const page = (await (await yeastar(`/openapi/v1.0/ivr/list?access_token=${key}&page=1&page_size=1&sort_by=name&order_by=desc`)).json()) as { total_number: number; data: { id: number }[] };
    expect(page).toMatchObject({ total_number: 2, data: [{ id: 5 }] });
  });
});

describe('ivr/update (the body mirrors ivr/get\'s data)', () => {
  it('ivr/get\'s data sent back unchanged is a success that changes nothing', async () => {
    const before = await data();
    const res = await update(before);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({ errcode: 0, errmsg: 'SUCCESS' });
    expect(await data()).toEqual(before);
  });

  it('what only our model has, read and sent back, is left alone (a tone prompt, an AI agent)', async () => {
    await native('PUT', `/ivrs/${ivr5}/menu`, { options: [
      { digit: '1', action_type: 'play_prompt', action_destination: 'tone_stream://%(200,0,440)' },
      { digit: '2', action_type: 'ai_agent', action_destination: 'wss://bot.example/ws' },
    ] });
    const before = await data();
    expect(before).toMatchObject({ press1_dest: 'play_prompt', press1_dest_value: 'tone_stream://%(200,0,440)', press2_dest: 'ai_agent' });
    expect((await update({ ...before, name: 'Renamed' })).status).toBe(200);
    expect(await data()).toEqual({ ...before, name: 'Renamed' });
  });

  it('changes the fields sent, and our own API sees the changes', async () => {
    const res = await update({
      id: 5, name: 'Front desk', resp_timeout: 7, digit_timeout: 4, prompt_repeat: 2, dial_ext_option: 'restrict',
      restrict_dial_ext_list: [{ text: 'Reception', text2: '0073', value: '73', type: 'extension' }], dial_ext_list: [],
      press1_dest: 'queue', press1_dest_value: '2',
      press5_dest: '',
      press9_dest_value: '1001',
      press_star_dest: 'ivr', press_star_dest_value: 1,
      timeout_dest: 'ext_vm', timeout_dest_value: '73',
      invalid_dest: 'end_call',
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await data()).toMatchObject({
      name: 'Front desk', resp_timeout: 7, digit_timeout: 4, prompt_repeat: 2, dial_ext_option: 'restrict', dial_ext_list: [],
      restrict_dial_ext_list: [{ text: 'Reception', text2: '0073', value: '73', type: 'extension' }],
      press1_dest: 'queue', press1_dest_value: '2', press5_dest: '', press9_dest: 'ext_vm', press9_dest_value: '1001',
      press_star_dest: 'ivr', press_star_dest_value: '1', timeout_dest: 'ext_vm', timeout_dest_value: '73', invalid_dest: 'end_call',
    });
    const ours = (await (await native('GET', `/ivrs/${ivr5}`)).json()) as Record<string, unknown>;
    expect(ours).toMatchObject({
      name: 'Front desk', timeout: 7, inter_digit_timeout: 4, max_retries: 2, timeout_retries: null, invalid_retries: null,
      direct_dial_policy: 'deny_list', direct_dial_list: ['0073'],
      timeout_destination: { type: 'voicemail', value: '0073' }, invalid_destination: { type: 'hangup', value: null },
    });
  });

  it('a prompt file of the sounds folder becomes the greeting; "default" removes it', async () => {
    expect((await update({ id: 5, prompt: 'IVR.wav' })).status).toBe(200);
    expect(await data()).toMatchObject({ prompt: 'IVR.wav' });
    expect(((await (await native('GET', `/ivrs/${ivr5}`)).json()) as Record<string, unknown>).greeting_prompt).toBe('IVR');
    expect((await native('GET', `/ivrs/${ivr5}/greeting-audio`)).status).toBe(200);
    expect((await update({ id: 5, prompt: 'default' })).status).toBe(200);
    expect(await data()).toMatchObject({ prompt: 'default' });
    expect((await native('GET', `/ivrs/${ivr5}/greeting-audio`)).status).toBe(404);
  });

  it('renumbering moves the id; a taken number is a 409 naming number in duplicate_field_list', async () => {
    const taken = await failed(await update({ id: 5, number: '0002' }), 409);
    expect(taken).toMatchObject({ errcode: -1, duplicate_field_list: [{ field: 'number', value: '0002' }] });
    expect((await update({ id: 5, number: '6204' })).status).toBe(200);
    expect(await data(6204)).toMatchObject({ id: 6204, number: '6204' });
    expect((await get(5)).status).toBe(404);
  });

  it('the documented example sent as an update: 400 naming every field our IVR cannot hold, and nothing is written', async () => {
    const before = await data();
    const body = await failed(await update(DOC_RESPONSE.data), 400);
    expect(body).toMatchObject({ errcode: 40002, errmsg: 'PARAMETER ERROR' });
    expect(fieldsOf(body)).toEqual(expect.arrayContaining([
      'enb_dial_outb_routes', 'dial_outb_route_list', 'press0_dest', 'press2_dest_prefix', 'press4_dest', 'press6_dest', 'press7_dest_prefix',
      'press8_dest_prefix', 'dial_ext_list[0].type',
    ]));
    expect(body.invalid_param_list?.find((p) => p.field === 'press0_dest')?.message).toContain('no conference rooms');
    expect(await data()).toEqual(before);
  });

  it.each([
    ['a ring group', { press1_dest: 'ring_group', press1_dest_value: '4' }, 'press1_dest', 'no ring groups'],
    ['a dial-out prefix', { press8_dest: 'external_num', press8_dest_prefix: '9', press8_dest_value: '+919944421125' }, 'press8_dest_prefix', 'dial-out prefixes are not supported'],
    ['an external number that is not E.164', { press8_dest: 'external_num', press8_dest_value: '123456' }, 'press8_dest_value', 'E.164'],
    ['an extension that does not exist', { press1_dest: 'extension', press1_dest_value: '4242' }, 'press1_dest_value', 'extension 4242 does not exist'],
    ['an IVR that does not exist', { press3_dest: 'ivr', press3_dest_value: '77' }, 'press3_dest_value', 'IVR 77 does not exist'],
    ['a prompt that is not in the sounds folder', { press7_dest: 'play_prompt', press7_dest_value: 'nope.wav' }, 'press7_dest_value', 'no prompt file'],
    ['a prompt played 5 times', { press7_dest: 'play_prompt', press7_dest_prefix: '5', press7_dest_value: 'IVR.wav' }, 'press7_dest_prefix', 'plays once'],
    ['"play and return" as the timeout destination', { timeout_dest: 'play_prompt', timeout_dest_value: 'IVR.wav' }, 'timeout_dest', 'not supported here'],
    ['our word where Yeastar has its own', { press1_dest: 'hangup' }, 'press1_dest', 'write Yeastar\'s "end_call"'],
    ['a value without a type', { press6_dest_value: '73' }, 'press6_dest', 'is empty'],
    ['recording control', { allow_out_record1: 1 }, 'allow_out_record1', 'only 0'],
    ['checking voicemail', { enb_dial_check_vm: 1 }, 'enb_dial_check_vm', 'only 0'],
    ['Alert-Info', { alert_info: '<http://x>;info=ring2' }, 'alert_info', 'only ""'],
    ['the prompt manager', { prompt_manger_enb: 1, prompt_manger_password: '1234' }, 'prompt_manger_enb', 'only 0'],
    ['several prompts', { prompt: 'default,IVR.wav' }, 'prompt', 'one prompt only'],
    ['an allow list with another dial_ext_option', { dial_ext_option: 'all', dial_ext_list: [{ value: '1001', type: 'extension' }] }, 'dial_ext_list', 'only with dial_ext_option "allow"'],
    ['an extension group', { dial_ext_list: [{ value: '86', type: 'ext_group' }] }, 'dial_ext_list[0].type', 'no extension groups'],
    ['an allow list that names nobody', { dial_ext_list: [] }, 'dial_ext_list', 'at least one extension'],
    ['a field Yeastar\'s IVR does not have here', { client_unique_ringtone: 'Ring1.mp3' }, 'client_unique_ringtone', 'is not a field of this request'],
    ['a value out of range', { resp_timeout: 500 }, 'resp_timeout', 'Too big'],
    ['no id', { id: undefined, name: 'x' }, 'id', 'is required'],
  ])('%s: 400 naming the field, nothing written', async (_what, change, field, message) => {
    const before = await data();
    const body = await failed(await update({ id: 5, ...change }), 400);
    expect(body.errcode).toBe(40002);
    const entry = body.invalid_param_list?.find((p) => p.field === field);
    expect(entry, JSON.stringify(body)).toBeDefined();
    expect(entry!.message).toContain(message);
    expect(await data()).toEqual(before);
  });

  it('permissions and credentials: an ivr.read key may read but not update; a bad token is a 401', async () => {
    const reader = await apiKeyWith(api, org, ['ivr.read']);
    expect((await get(5, reader)).status).toBe(200);
    const denied = await failed(await update({ id: 5, name: 'x' }, reader), 403);
    expect(denied.invalid_param_list?.[0]).toMatchObject({ field: 'access_token', validation_type: 'forbidden', message: 'Missing permission: ivr.write' });
    expect(fieldsOf(await failed(await update({ id: 5 }, 'ak_unknown'), 401))).toEqual(['access_token']);
    expect(fieldsOf(await failed(await update({ id: 5 }, 'not-a-jwt'), 401))).toEqual(['access_token']);
  });

  it('an unknown API is a 404 naming api_path; a body that is not JSON a 400', async () => {
    expect((await failed(await yeastar(`/openapi/v1.0/ivr/delete?access_token=${key}&id=5`), 404)).invalid_param_list?.[0]).toMatchObject({ field: 'api_path', value: '/openapi/v1.0/ivr/delete' });
    const res = await yeastar(`/openapi/v1.0/ivr/update?access_token=${key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":' });
    expect((await failed(res, 400)).errcode).toBe(40002);
  });
});

describe('the OpenAPI document', () => {
  it('documents the adapter under "Compat: Yeastar", with access_token as a security scheme', async () => {
    const doc = (await (await api.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { tags: string[]; security: Record<string, string[]>[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    for (const [path, method] of [['get', 'get'], ['list', 'get'], ['update', 'post']] as const) {
      const op = doc.paths[`/compat/yeastar/openapi/v1.0/ivr/${path}`]?.[method];
      expect(op?.tags).toEqual(['Compat: Yeastar']);
      expect(op?.security).toContainEqual({ yeastarAccessToken: [] });
    }
    expect(doc.components.securitySchemes.yeastarAccessToken).toEqual({ type: 'apiKey', in: 'query', name: 'access_token' });
  });
});
