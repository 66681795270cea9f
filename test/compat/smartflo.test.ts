/**
 * Tata Smartflo's "Create IVR" (seed 002) at /compat/smartflo/v1/ivr. The document's one request example is its
 * curl (POST, JSON headers, no body, no credentials): replayed as printed, then with credentials. Its variable table
 * gives one example value per field: assembled into a body, those values are replayed as they are (what our model
 * cannot hold is refused by name) and adapted to this organization's numbers (created, then read back). Every
 * answer is checked against the documented response variables (success Boolean, message String).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeWav } from '../../src/media/wav.ts';
import { soundsDir } from '../../src/runtime/env.ts';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';
import { addExtension, addQueue, apiKeyWith } from '../api/ivrs.fixtures.ts';
import { expectShape } from './shape.ts';

/** The documented response variables, as a value of each type. */
const DOC_RESULT = { success: true, message: 'message' };
/** Every field of the variable table with its example value (invalid_recording is listed twice: the second wins, as in JSON). */
const DOC_FIELDS = {
  name: 'Election IVR',
  description: 'Election IVR Description',
  recording: 'recording|28935',
  timeout: 30,
  option: ['1'],
  destination: ['extension|05047530000'],
  incorrect_count: 2,
  timeout_recording: 'recording|28955',
  invalid_recording: 'recording|28934',
  invalid_destination: 'extension|05047530099',
  timeout_retry_recording: 'recording|28977',
  timeout_destination: 'extension|05047530675',
  sms_template: [35642],
  timeout_tries: 2,
};
const MANDATORY = ['name', 'description', 'recording', 'timeout', 'option', 'destination', 'incorrect_count', 'timeout_recording', 'invalid_recording',
  'invalid_destination', 'timeout_retry_recording', 'timeout_destination', 'timeout_tries'];
/** The same values on this organization's extensions 1001/1002, one timeout recording, no SMS template. */
const ADAPTED = {
  ...DOC_FIELDS,
  destination: ['extension|1001'],
  invalid_destination: 'extension|1002',
  timeout_recording: 'recording|28977',
  timeout_destination: 'queue|5001',
  sms_template: [],
};

let api: AsyncTestApi;
let org: TestOrg;
beforeEach(async () => {
  api = await openTestApi();
  org = await api.org('Acme');
  await addExtension(api, org.orgId, '1001');
  await addExtension(api, org.orgId, '1002');
  await addQueue(api, org.orgId, '5001');
  // The recordings the examples name, as a migrating customer puts them in the sounds folder.
  const dir = soundsDir(api.config);
  mkdirSync(dir, { recursive: true });
  for (const id of ['28935', '28955', '28934', '28977']) writeFileSync(join(dir, `recording_${id}.wav`), encodeWav(new Int16Array(1600).fill(1000), 16000));
});
afterEach(() => api.close());

const URL = '/compat/smartflo/v1/ivr';
const withAuth = (headers: Record<string, string> = {}) => ({ ...headers, authorization: `Bearer ${org.token}` });
const postJson = (body: unknown, headers: Record<string, string> = withAuth()) =>
  api.app.request(URL, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const failure = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { success: boolean; message: string };
  expectShape(body, DOC_RESULT);
  expect(body.success).toBe(false);
  return body.message;
};
const ivrCount = async () => (await api.deps.adb.select({ id: api.deps.adb.t.ivrs.id }).from(api.deps.adb.t.ivrs)).length;

/**
 * The document's request examples, as printed: its curl (method, URL path, headers; no body, no credentials), and the
 * variable table's example values as a JSON body. `credentials`: as printed (none), or ours added (the one change).
 */
const PRINTED_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };
const REQUEST_EXAMPLES = [
  { example: 'curl', credentials: 'as printed', body: undefined, status: 401, says: ['Authentication required'] },
  { example: 'curl', credentials: 'ours', body: undefined, status: 400, says: MANDATORY.map((f) => `${f}: is required`) },
  {
    example: 'variable table values', credentials: 'ours', body: JSON.stringify(DOC_FIELDS), status: 400,
    says: [
      'destination[0]: extension destination must be a 4-digit extension number', 'invalid_destination: extension destination must be a 4-digit extension number',
      'timeout_destination: extension destination must be a 4-digit extension number', 'timeout_recording: must be the same recording as timeout_retry_recording',
      'sms_template: SMS templates are not supported',
    ],
  },
] as const;

describe('the request examples, replayed as printed', () => {
  it.each(REQUEST_EXAMPLES)('POST /v1/ivr, $example, credentials $credentials: $status in Smartflo\'s envelope', async ({ credentials, body, status, says }) => {
    const headers = credentials === 'ours' ? withAuth(PRINTED_HEADERS) : PRINTED_HEADERS;
    const message = await failure(await api.app.request(URL, { method: 'POST', headers, ...(body !== undefined && { body }) }), status);
    for (const s of says) expect(message).toContain(s);
    expect(await ivrCount()).toBe(0);
  });

  it('the bodiless curl names no optional field', async () => {
    expect(await failure(await api.app.request(URL, { method: 'POST', headers: withAuth(PRINTED_HEADERS) }), 400)).not.toContain('sms_template');
  });
});

describe('the variable table\'s example values', () => {
  it('on this organization\'s numbers: created ({success: true, message}), read back in the same shape', async () => {
    const res = await postJson(ADAPTED);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { success: boolean; message: string };
    expectShape(body, DOC_RESULT);
    expect(body.success).toBe(true);
    const location = res.headers.get('location')!;
    const id = location.split('/').pop()!;
    expect(body.message).toContain(id);

    const got = await api.app.request(location, { headers: withAuth() });
    expect(got.status).toBe(200);
    const ivr = (await got.json()) as Record<string, unknown>;
    expectShape(ivr, { id: 'uuid', ...ADAPTED, sms_template: [] }, { extraKeys: [] });
    expect(ivr).toEqual({ id, ...ADAPTED });

    // Our own API sees the same IVR: greeting from the recording, retries, prompts, menu, fallbacks.
    const native = (await (await api.call('GET', `/api/v1/ivrs/${id}`, { token: org.token })).json()) as Record<string, unknown>;
    expect(native).toMatchObject({
      name: 'Election IVR', extension: '1003', description: 'Election IVR Description', timeout: 30, timeout_retries: 2, invalid_retries: 2,
      greeting_prompt: 'recording_28935', greeting_text: null, timeout_prompt: 'recording_28977.wav', invalid_prompt: 'recording_28934.wav',
      timeout_destination: { type: 'queue', value: '5001' }, invalid_destination: { type: 'extension', value: '1002' },
      menuOptions: [{ digit: '1', action_type: 'extension', action_destination: '1001' }],
    });
    // It publishes with its recordings as the greeting and prompts (no "no greeting" or "prompt is text" warning).
    const pub = await api.call('POST', `/api/v1/ivrs/${id}/publish`, { token: org.token });
    expect(pub.status).toBe(200);
    const warnings = ((await pub.json()) as { warnings: { code: string }[] }).warnings.map((w) => w.code);
    expect(warnings).not.toContain('no_greeting');
    expect(warnings).not.toContain('prompt_not_sound_file');
  });
});

describe('bodies', () => {
  it('a form with option[]/destination[] arrays (numbers as text) creates the same IVR', async () => {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(ADAPTED)) {
      if (Array.isArray(v)) for (const item of v) form.append(`${k}[]`, String(item));
      else form.append(k, String(v));
    }
    form.append('option[]', '2');
    form.append('destination[]', 'hangup');
    const res = await api.app.request(URL, { method: 'POST', headers: withAuth({ 'content-type': 'application/x-www-form-urlencoded' }), body: form.toString() });
    expect(res.status, await res.clone().text()).toBe(200);
    const ivr = (await (await api.app.request(res.headers.get('location')!, { headers: withAuth() })).json()) as Record<string, unknown>;
    expect(ivr).toMatchObject({ option: ['1', '2'], destination: ['extension|1001', 'hangup'], timeout: 30, incorrect_count: 2, timeout_tries: 2 });
  });

  it('multipart form data and indexed option[0] keys too', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries(ADAPTED)) if (!Array.isArray(v)) form.append(k, String(v));
    form.append('option[1]', '2');
    form.append('option[0]', '1');
    form.append('destination[0]', 'extension|1001');
    form.append('destination[1]', 'voicemail|1002');
    const res = await api.app.request(URL, { method: 'POST', headers: withAuth(), body: form });
    expect(res.status, await res.clone().text()).toBe(200);
    const ivr = (await (await api.app.request(res.headers.get('location')!, { headers: withAuth() })).json()) as Record<string, unknown>;
    expect(ivr).toMatchObject({ option: ['1', '2'], destination: ['extension|1001', 'voicemail|1002'] });
  });

  it('malformed JSON and a body that is no object are 400s in the envelope', async () => {
    await failure(await api.app.request(URL, { method: 'POST', headers: withAuth({ 'content-type': 'application/json' }), body: '{"name":' }), 400);
    await failure(await postJson([ADAPTED]), 400);
  });
});

describe('what our IVR cannot hold is a 400 naming the field, never dropped', () => {
  it.each([
    ['an SMS template', { sms_template: [35642] }, 'sms_template: SMS templates are not supported'],
    ['a destination type we do not have', { destination: ['department|12'] }, 'destination[0]: unsupported destination type "department"'],
    ['a fallback type only menus have', { timeout_destination: 'repeat' }, 'timeout_destination: unsupported destination type "repeat"'],
    ['a second timeout recording', { timeout_recording: 'recording|28955' }, 'timeout_recording: must be the same recording as timeout_retry_recording'],
    ['a field Smartflo does not have', { greeting_text: 'Hello' }, 'greeting_text: is not a field of this request'],
    ['a field named __proto__', JSON.parse('{"__proto__": {"name": "x"}}') as object, '__proto__: is not a field of this request'],
    ['a recording that is not here', { recording: 'recording|99999' }, 'recording: recording 99999 is not here: put its audio in the sounds folder as recording_99999.wav'],
    ['a recording that is no recording id', { invalid_recording: 'welcome.wav' }, 'invalid_recording: "welcome.wav" is not a recording id'],
    ['options and destinations that do not pair', { option: ['1', '2'] }, 'destination: one destination per option: 2 option(s), 1 destination(s)'],
    ['a destination our services refuse', { destination: ['queue|5999'] }, 'destination[0]: queue 5999 does not exist'],
    ['a duplicate key', { option: ['1', '1'], destination: ['hangup', 'hangup'] }, 'option[1]: duplicate digit "1"'],
    ['a value out of our range', { timeout: 500 }, 'timeout: Too big'],
    ['hangup with a value', { destination: ['hangup|1001'] }, 'destination[0]: hangup takes no value'],
  ])('%s', async (_what, change, expected) => {
    const message = await failure(await postJson({ ...ADAPTED, ...change }), 400);
    expect(message).toContain(expected);
    expect(await ivrCount()).toBe(0);
  });
});

describe('authentication and errors in Smartflo\'s envelope', () => {
  it('an invalid API key is a 401; a key without ivr.write a 403 naming it; ivr.read may read', async () => {
    expect(await failure(await postJson(ADAPTED, { 'x-api-key': 'ak_nope' }), 401)).toMatch(/API key/);
    const reader = await apiKeyWith(api, org, ['ivr.read']);
    expect(await failure(await postJson(ADAPTED, { 'x-api-key': reader }), 403)).toBe('Missing permission: ivr.write');
    const list = await api.app.request(URL, { headers: { 'x-api-key': reader } });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual([]);
  });

  it('another organization\'s IVR, an unknown id and an unknown path are 404s', async () => {
    const id = (await postJson(ADAPTED)).headers.get('location')!.split('/').pop()!;
    const other = await api.org('Other');
    expect(await failure(await api.app.request(`${URL}/${id}`, { headers: { authorization: `Bearer ${other.token}` } }), 404)).toBe('IVR not found');
    await failure(await api.app.request(`${URL}/nope`, { headers: withAuth() }), 404);
    expect(await failure(await api.app.request('/compat/smartflo/v1/department', { headers: withAuth() }), 404)).toContain('GET /v1/department');
  });

  it('the list reads every IVR of the organization in the same shape, native ones too', async () => {
    await postJson(ADAPTED);
    await api.call('POST', '/api/v1/ivrs', { token: org.token, body: { name: 'Native', extension: '7001' } });
    const list = (await (await api.app.request(URL, { headers: withAuth() })).json()) as Record<string, unknown>[];
    expect(list.map((i) => i.name).sort()).toEqual(['Election IVR', 'Native']);
    for (const ivr of list) expectShape(ivr, { id: 'uuid', ...ADAPTED, option: [], destination: [], sms_template: [] }, { extraKeys: [] });
    // A native IVR with no greeting, prompts or fallbacks: empty recordings, hang-up fallbacks, retries from max_retries.
    expect(list.find((i) => i.name === 'Native')).toMatchObject({
      recording: '', timeout_recording: '', invalid_recording: '', timeout_destination: 'hangup', invalid_destination: 'hangup', incorrect_count: 3, timeout_tries: 3, option: [], destination: [],
    });
  });
});

describe('the OpenAPI document', () => {
  it('documents the adapter under "Compat: Tata Smartflo", with JSON and form bodies', async () => {
    const doc = (await (await api.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { tags: string[]; requestBody?: { content: Record<string, unknown> } }>> };
    expect(doc.paths['/compat/smartflo/v1/ivr']?.post?.tags).toEqual(['Compat: Tata Smartflo']);
    expect(Object.keys(doc.paths['/compat/smartflo/v1/ivr']?.post?.requestBody?.content ?? {})).toEqual(['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
    expect(doc.paths['/compat/smartflo/v1/ivr']?.get?.tags).toEqual(['Compat: Tata Smartflo']);
    expect(doc.paths['/compat/smartflo/v1/ivr/{id}']?.get?.tags).toEqual(['Compat: Tata Smartflo']);
  });
});
