import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';
import { TtsError, type TtsEngine, type TtsRequest } from '../../src/media/tts-engine.ts';
import { createToneEngine } from '../../src/media/tone-engine.ts';
import { renderTemplate } from '../../src/services/tts-templates/render.ts';

let api: AsyncTestApi;
let org: TestOrg;
afterEach(() => api?.close());

/** The offline tone engine, counting what it is asked; `fail` makes it throw like a quota error. */
function countingEngine() {
  const tone = createToneEngine();
  const calls: TtsRequest[] = [];
  const state = { fail: false };
  const engine: TtsEngine = {
    name: 'counting',
    voiceFor: () => 'chime',
    async synthesize(req, signal) {
      calls.push(req);
      if (state.fail) throw new TtsError('quota exceeded');
      return { ...(await tone.synthesize(req, signal)), engine: 'counting', voice: 'chime' };
    },
  };
  return { engine, calls, state };
}

async function setup(env: Record<string, string> = {}) {
  const tts = countingEngine();
  api = await openTestApi({ tts: tts.engine }, env);
  org = await api.org('Acme');
  return tts;
}

type Template = { id: string; name: string; text: string; placeholders: string[]; language: string; voice: string | null; status: string; last_error: string | null; last_rendered_at: string | null };
type Rendered = { template_id: string; audio_id: string; audio_url: string; text: string; cached: boolean; engine: string };
type Err = { error: string; code: string; details?: { fields?: { field: string; message: string }[]; conflict?: Record<string, unknown> } };

const call = async <T = Template & Err>(method: string, path: string, body?: unknown) => {
  const res = await api.call(method, path, { token: org.token, body });
  return { status: res.status, json: (res.status === 204 ? null : await res.json()) as T };
};
const create = (body: unknown) => call('POST', '/api/v1/tts-templates', body);
const render = (id: string, variables: unknown) => call<Rendered & Err>('POST', `/api/v1/tts-templates/${id}/render`, { variables });
const ORDER = 'Hello {{name}}, your order {{order_id}} of {{amount}} rupees is confirmed.';

describe('TTS templates: CRUD and validation', () => {
  it('create, list, get by id or name, update, delete; language defaults from config', async () => {
    await setup({ TTS_TEMPLATE_LANGUAGE: 'hi-IN' });
    const made = await create({ name: 'api_order_confirm', text: ORDER });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ name: 'api_order_confirm', language: 'hi-IN', voice: null, status: 'ready', last_error: null, placeholders: ['name', 'order_id', 'amount'] });
    const id = made.json.id;
    expect((await call('GET', '/api/v1/tts-templates/api_order_confirm')).json.id).toBe(id);
    expect((await call<{ templates: Template[] }>('GET', '/api/v1/tts-templates')).json.templates.map((t) => t.name)).toEqual(['api_order_confirm']);
    const upd = await call('PUT', `/api/v1/tts-templates/${id}`, { text: 'Your OTP is {{1}}.', voice: 'hi-IN-Wavenet-A' });
    expect(upd.json).toMatchObject({ name: 'api_order_confirm', text: 'Your OTP is {{1}}.', placeholders: ['1'], voice: 'hi-IN-Wavenet-A' });
    expect((await call('DELETE', `/api/v1/tts-templates/${id}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/tts-templates/${id}`)).status).toBe(404);
  });

  it('a name is unique per organization: 409 naming the template; bad names are 400s', async () => {
    await setup();
    const first = await create({ name: 'otp', text: 'Your code is {{1}}' });
    const dup = await create({ name: 'otp', text: 'x' });
    expect(dup.status).toBe(409);
    expect(dup.json.details?.conflict).toMatchObject({ id: first.json.id, name: 'otp' });
    const other = await create({ name: 'other', text: 'x' });
    expect((await call('PUT', `/api/v1/tts-templates/${other.json.id}`, { name: 'otp' })).status).toBe(409);
    expect((await create({ name: 'Has Space', text: 'x' })).json.details?.fields?.map((f) => f.field)).toEqual(['name']);
  });

  it('malformed braces are a 400 naming the character where they break', async () => {
    await setup();
    const message = async (text: string) => {
      const res = await create({ name: 't', text });
      expect(res.status).toBe(400);
      return res.json.details!.fields!.map((f) => `${f.field}: ${f.message}`).join(' | ');
    };
    expect(await message('Hello {{name, bye')).toMatch(/^text: "\{\{" at character 7 is never closed/);
    expect(await message('Hello name}} bye')).toMatch(/^text: "\}\}" at character 11 closes no "\{\{"/);
    expect(await message('Hi {{first name}}')).toMatch(/"\{\{first name\}\}" at character 4 is not a placeholder/);
    expect(await message('Hi {{}} and {{0}}')).toMatch(/character 4 .*\| .*character 13/);
    expect(await message('{{{name}}}')).toMatch(/character 1 is not a placeholder/);
    // Single braces are text; spaces inside a placeholder are allowed.
    expect((await create({ name: 'ok', text: 'Price {in} {{ amount }} {x}' })).json.placeholders).toEqual(['amount']);
    const t = (await create({ name: 'ok2', text: 'x' })).json;
    expect((await call('PUT', `/api/v1/tts-templates/${t.id}`, { text: 'oops {{' })).status).toBe(400);
  });
});

describe('TTS templates: render', () => {
  it('named variables: the text is filled and synthesized once; the second render is a cache hit; the wav is served', async () => {
    const tts = await setup();
    const t = (await create({ name: 'api_order_confirm', text: ORDER, language: 'en-IN' })).json;
    const first = await render(t.id, { name: 'John', order_id: 'ORD12345', amount: 1500 });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      template_id: t.id, text: 'Hello John, your order ORD12345 of 1500 rupees is confirmed.', cached: false, engine: 'counting',
      audio_url: `/api/v1/tts-templates/${t.id}/audio/${first.json.audio_id}`,
    });
    expect(first.json.audio_id).toMatch(/^[0-9a-f]{64}$/);
    const second = await render('api_order_confirm', { amount: '1500', order_id: 'ORD12345', name: 'John' });
    expect(second.json).toMatchObject({ cached: true, audio_id: first.json.audio_id });
    expect(tts.calls).toHaveLength(1);
    expect(tts.calls[0]).toMatchObject({ text: 'Hello John, your order ORD12345 of 1500 rupees is confirmed.', language: 'en-IN', voice: '', sampleRate: 8000 });

    const dir = join(api.dataDir, 'sounds', 'tts', org.orgId);
    expect(readdirSync(dir)).toEqual([`${first.json.audio_id}.wav`]);
    const audio = await api.call('GET', `${first.json.audio_url}?token=${org.token}`);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await audio.arrayBuffer()).toString('ascii', 0, 4)).toBe('RIFF');
    expect((await api.call('GET', `/api/v1/tts-templates/${t.id}/audio/${'0'.repeat(64)}`, { token: org.token })).status).toBe(404);
    expect((await api.call('GET', `/api/v1/tts-templates/${t.id}/audio/..%2F..%2Ftest.db`, { token: org.token })).status).toBe(404);

    const status = await call('GET', `/api/v1/tts-templates/${t.id}/status`);
    expect(status.json).toMatchObject({ status: 'ready', last_error: null });
    expect(status.json.last_rendered_at).not.toBeNull();
  });

  it('positional variables: a list, or the seed API\'s comma-separated string', async () => {
    const tts = await setup();
    const t = (await create({ name: 'otp', text: '{{1}}, your order {{2}} of {{3}} rupees. Again: {{1}}.' })).json;
    const list = await render(t.id, ['John', 'ORD12345', 1500]);
    expect(list.json).toMatchObject({ text: 'John, your order ORD12345 of 1500 rupees. Again: John.', cached: false });
    const csv = await render(t.id, 'John,ORD12345,1500');
    expect(csv.json).toMatchObject({ text: list.json.text, cached: true });
    expect((await render(t.id, { 1: 'John', 2: 'ORD12345', 3: '1500' })).json.cached).toBe(true);
    expect(tts.calls).toHaveLength(1);
  });

  it('a missing value is a 400 naming every placeholder without one; nothing is synthesized', async () => {
    const tts = await setup();
    const t = (await create({ name: 't', text: ORDER })).json;
    const res = await render(t.id, { name: 'John' });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('Missing value for {{order_id}}, {{amount}}');
    expect(res.json.details?.fields?.map((f) => f.field)).toEqual(['variables.order_id', 'variables.amount']);
    const positional = (await create({ name: 'p', text: 'Code {{1}} for {{2}}' })).json;
    expect((await render(positional.id, ['1234'])).json.details?.fields?.map((f) => f.field)).toEqual(['variables.2']);
    expect(tts.calls).toHaveLength(0);
  });

  it('a failed synthesis is a 503 and sets status error with last_error; a later success clears it', async () => {
    const tts = await setup();
    const t = (await create({ name: 't', text: 'Hello {{name}}' })).json;
    tts.state.fail = true;
    const res = await render(t.id, { name: 'John' });
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ code: 'service_unavailable', error: 'Text-to-speech failed (engine counting): quota exceeded' });
    const status = await call('GET', `/api/v1/tts-templates/${t.id}/status`);
    expect(status.json).toMatchObject({ status: 'error', last_error: 'Text-to-speech failed (engine counting): quota exceeded', last_rendered_at: null });
    expect(existsSync(join(api.dataDir, 'sounds', 'tts', org.orgId)) ? readdirSync(join(api.dataDir, 'sounds', 'tts', org.orgId)) : []).toEqual([]);

    tts.state.fail = false;
    expect((await render(t.id, { name: 'John' })).status).toBe(200);
    expect((await call('GET', `/api/v1/tts-templates/${t.id}`)).json).toMatchObject({ status: 'ready', last_error: null });
  });

  it('renderTemplate (for the outbound call code) returns the wav\'s path; another organization cannot see the template', async () => {
    await setup();
    const t = (await create({ name: 'hello', text: 'Hello {{name}}' })).json;
    const r = await renderTemplate({ ...api.deps, db: api.deps.adb }, org.orgId, 'hello', { name: 'Asha' });
    expect(r).toMatchObject({ templateId: t.id, text: 'Hello Asha', cached: false });
    expect(existsSync(r.path)).toBe(true);
    const other = await api.org('Other');
    expect((await api.call('GET', `/api/v1/tts-templates/${t.id}`, { token: other.token })).status).toBe(404);
    await expect(renderTemplate({ ...api.deps, db: api.deps.adb }, other.orgId, t.id, { name: 'x' })).rejects.toThrow('Template not found');
  });
});
