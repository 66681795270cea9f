/**
 * The call simulator through the API: flows configured and published as an admin would, walked with scripted
 * keys (POST /api/v1/simulate), and nothing left behind.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROMPTS } from '../../src/call/prompts.ts';
import { VOICEMAIL_BEEP } from '../../src/call/actions/voicemail.ts';
import { BOT_DID, HOURS_DID, MAIN_DID, buildFlows, type Flows } from './flows.ts';

let api: AsyncTestApi;
let org: TestOrg;
let flows: Flows;

const req = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> => {
  const res = await api.call(method, path, { token: org.token, body });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
};

interface Sim {
  source: string;
  did: string | null;
  ivrId: string | null;
  version: number | null;
  events: Array<Record<string, unknown> & { type: string }>;
  ivrPath: Array<Record<string, unknown> & { step: string }>;
  end: { kind: string; destination: string | null; outcome: string; leftAt: string; cause?: string };
  unusedKeys: string[];
  problems: unknown[];
}

const simulate = (body: Record<string, unknown>) => req<Sim>('POST', '/api/v1/simulate', body);
const types = (s: Sim) => s.events.map((e) => e.type);
const steps = (s: Sim) => s.ivrPath.map(({ at: _at, ...rest }) => rest);

beforeEach(async () => {
  api = await openTestApi();
  org = await api.org('Acme');
  flows = await buildFlows(req);
});
afterEach(() => api.close());

const post = (body: unknown, auth: { token?: string; apiKey?: string } = { token: org.token }) => api.call('POST', '/api/v1/simulate', { ...auth, body });

describe('POST /api/v1/simulate: walking the published flow', () => {
  it('a valid key: the greeting (with its TTS text), the key, the extension; outcome connected', async () => {
    const s = await simulate({ did: MAIN_DID, keys: ['1'] });
    expect(s).toMatchObject({ source: 'published', did: MAIN_DID, ivrId: flows.main, version: expect.any(Number), unusedKeys: [], problems: [] });
    expect(s.end).toEqual({ kind: 'extension', destination: '1001', outcome: 'connected', leftAt: 'talk' });
    expect(types(s)).toEqual(['menu', 'prompt', 'input', 'action', 'end']);
    expect(s.events[0]).toEqual({ type: 'menu', ivrId: flows.main, name: 'Main' });
    expect(s.events[1]).toMatchObject({ type: 'prompt', ivrId: flows.main, name: 'greeting', file: expect.stringMatching(/greeting_ivr_.*\.wav$/), text: 'Welcome to Acme. Press 1 for Asha.' });
    expect(s.events[2]).toEqual({ type: 'input', ivrId: flows.main, keys: '1', digits: '1', accepted: true, action: 'extension', destination: '1001' });
    expect(s.events[3]).toEqual({ type: 'action', ivrId: flows.main, action: 'extension', destination: '1001', result: 'answered' });
    expect(s.events[4]).toEqual({ type: 'end', kind: 'extension', destination: '1001', outcome: 'connected', leftAt: 'talk' });
    expect(steps(s)).toEqual([
      { step: 'did', number: MAIN_DID, routing: 'ivr' },
      { step: 'ivr', ivrId: flows.main, name: 'Main' },
      { step: 'digits', ivrId: flows.main, digits: '1' },
      { step: 'action', type: 'extension', value: '1001', result: 'answered' },
    ]);
    expect(s.ivrPath.every((p) => typeof p.at === 'string')).toBe(true);
  });

  it('an invalid key, then a valid one: the invalid rule with its counter and prompt, then the menu again', async () => {
    const s = await simulate({ did: MAIN_DID, keys: ['9', '1'] });
    expect(types(s)).toEqual(['menu', 'prompt', 'input', 'invalid', 'prompt', 'prompt', 'input', 'action', 'end']);
    expect(s.events[2]).toEqual({ type: 'input', ivrId: flows.main, keys: '9', digits: '9', accepted: false });
    expect(s.events[3]).toEqual({ type: 'invalid', ivrId: flows.main, digits: '9', count: 1, max: 2, exhausted: false });
    expect(s.events[4]).toMatchObject({ type: 'prompt', name: 'invalid', file: PROMPTS.invalid });
    expect(s.events[5]).toMatchObject({ type: 'prompt', name: 'greeting' });
    expect(s.events[6]).toMatchObject({ type: 'input', keys: '1', accepted: true });
    expect(s.end).toMatchObject({ kind: 'extension', destination: '1001', outcome: 'connected' });
    expect(steps(s).map((p) => p.step)).toEqual(['did', 'ivr', 'digits', 'invalid', 'digits', 'action']);
  });

  it('no input twice: the timeout rule fires twice, then the timeout destination (extension 1002)', async () => {
    const s = await simulate({ did: MAIN_DID, keys: ['timeout', 'timeout'] });
    const retries = s.events.filter((e) => e.type === 'timeout');
    expect(retries).toEqual([
      { type: 'timeout', ivrId: flows.main, count: 1, max: 2, exhausted: false },
      { type: 'timeout', ivrId: flows.main, count: 2, max: 2, exhausted: true },
    ]);
    // The timeout prompt before the greeting again, and once more before the destination.
    expect(s.events.filter((e) => e.type === 'prompt').map((e) => e.name)).toEqual(['greeting', 'timeout', 'greeting', 'timeout']);
    expect(steps(s).slice(2)).toEqual([
      { step: 'timeout', ivrId: flows.main, count: 1 },
      { step: 'timeout', ivrId: flows.main, count: 2 },
      { step: 'exhausted', ivrId: flows.main, reason: 'timeout' },
      { step: 'action', type: 'extension', value: '1002', result: 'answered' },
    ]);
    expect(s.end).toEqual({ kind: 'extension', destination: '1002', outcome: 'connected', leftAt: 'talk' });
  });

  it('the most invalid keys: the invalid destination, voicemail of 1001 (its greeting text, the beep); outcome voicemail', async () => {
    const s = await simulate({ did: MAIN_DID, keys: ['8', '9'] });
    expect(s.events.filter((e) => e.type === 'invalid').map((e) => [e.count, e.exhausted])).toEqual([[1, false], [2, true]]);
    const box = (await api.deps.adb.select().from(api.deps.adb.t.extensions)).find((e) => e.number === '1001')!;
    expect(box.voicemailGreetingFile).toBeTruthy();
    expect(s.events.filter((e) => e.type === 'prompt').slice(-3)).toEqual([
      { type: 'prompt', ivrId: flows.main, name: 'invalid', file: PROMPTS.invalid },
      { type: 'prompt', ivrId: flows.main, name: 'voicemail_greeting', file: box.voicemailGreetingFile, text: 'Asha is away. Leave a message.' },
      { type: 'prompt', ivrId: flows.main, name: 'beep', file: VOICEMAIL_BEEP },
    ]);
    expect(steps(s).slice(-2)).toEqual([
      { step: 'exhausted', ivrId: flows.main, reason: 'invalid' },
      { step: 'action', type: 'voicemail', value: '1001', result: 'no_message' },
    ]);
    expect(s.end).toEqual({ kind: 'voicemail', destination: '1001', outcome: 'voicemail', leftAt: 'voicemail' });
  });

  it('retries run out in a menu without a timeout destination: goodbye after the timeout prompt, hangup, no_input', async () => {
    const s = await simulate({ ivrId: flows.support, keys: ['timeout', 'timeout'] });
    expect(s.events.filter((e) => e.type === 'prompt').map((e) => e.name)).toEqual(['greeting', 'timeout', 'greeting', 'timeout', 'goodbye']);
    expect(steps(s).at(-1)).toEqual({ step: 'exhausted', ivrId: flows.support, reason: 'timeout' });
    expect(s.end).toEqual({ kind: 'hangup', destination: null, outcome: 'no_input', leftAt: 'prompt', cause: 'NORMAL_CLEARING' });
  });

  it('a nested menu: the key enters it, its own greeting and keys, an external number', async () => {
    const s = await simulate({ did: MAIN_DID, keys: ['3', '1'] });
    expect(s.events.filter((e) => e.type === 'menu').map((e) => e.name)).toEqual(['Main', 'Support']);
    expect(s.events.find((e) => e.type === 'input' && e.keys === '3')).toMatchObject({ accepted: true, action: 'ivr', destination: flows.support });
    // Support has no generated greeting: the built-in tone, without text.
    expect(s.events.filter((e) => e.type === 'prompt').at(-1)).toEqual({ type: 'prompt', ivrId: flows.support, name: 'greeting', file: PROMPTS.greetingFallback });
    expect(s.end).toEqual({ kind: 'external', destination: '+919944421125', outcome: 'connected', leftAt: 'talk' });
    expect(steps(s).map((p) => p.step)).toEqual(['did', 'ivr', 'digits', 'ivr', 'digits', 'action']);
  });

  it('direct dial: four digits (a # ends them) reach the extension; an unknown number is an invalid entry', async () => {
    for (const keys of [['1002'], ['1002#']]) {
      const s = await simulate({ did: MAIN_DID, keys });
      expect(s.events.find((e) => e.type === 'input')).toMatchObject({ keys: keys[0], digits: '1002', accepted: true, action: 'direct_dial', destination: '1002' });
      expect(s.end).toEqual({ kind: 'extension', destination: '1002', outcome: 'connected', leftAt: 'talk' });
    }
    const unknown = await simulate({ did: MAIN_DID, keys: ['1234', '0'] });
    expect(unknown.events.find((e) => e.type === 'invalid')).toMatchObject({ digits: '1234', count: 1 });
    expect(unknown.end).toMatchObject({ kind: 'hangup', outcome: 'ended_by_ivr', cause: 'NORMAL_CLEARING' });
  });

  it('a queue: handed to mod_callcenter, an agent answers; outcome connected', async () => {
    const s = await simulate({ did: MAIN_DID, keys: ['2'] });
    expect(steps(s).at(-1)).toEqual({ step: 'action', type: 'queue', value: '5001', result: 'answered' });
    expect(s.end).toEqual({ kind: 'queue', destination: '5001', outcome: 'connected', leftAt: 'talk' });
  });

  it('a voicemail option', async () => {
    const s = await simulate({ did: MAIN_DID, keys: ['4'] });
    expect(s.end).toEqual({ kind: 'voicemail', destination: '1001', outcome: 'voicemail', leftAt: 'voicemail' });
  });

  it('an AI agent, from a menu and from a DID: handed to the bot, no connection opened; outcome bot_completed', async () => {
    const fromMenu = await simulate({ did: MAIN_DID, keys: ['5'] });
    expect(fromMenu.end).toEqual({ kind: 'ai_agent', destination: flows.agent, outcome: 'bot_completed', leftAt: 'bot' });
    expect(steps(fromMenu).at(-1)).toEqual({ step: 'action', type: 'ai_agent', value: flows.agent, result: 'caller_hangup' });
    const fromDid = await simulate({ did: BOT_DID });
    expect(fromDid).toMatchObject({ did: BOT_DID, ivrId: null });
    expect(fromDid.end).toEqual({ kind: 'ai_agent', destination: flows.agent, outcome: 'bot_completed', leftAt: 'bot' });
    expect(steps(fromDid).map((p) => p.step)).toEqual(['did', 'action']);
  });

  it('callback and hangup options: the flow hangs up, with the outcome each leaves', async () => {
    const callback = await simulate({ did: MAIN_DID, keys: ['6'] });
    expect(callback.end).toEqual({ kind: 'callback', destination: null, outcome: 'callback_requested', leftAt: 'prompt', cause: 'NORMAL_CLEARING' });
    expect(callback.events.filter((e) => e.type === 'prompt').at(-1)).toMatchObject({ name: 'confirm' });
    const hangup = await simulate({ did: MAIN_DID, keys: ['0'] });
    expect(hangup.end).toMatchObject({ kind: 'hangup', destination: null, outcome: 'ended_by_ivr', cause: 'NORMAL_CLEARING' });
  });

  it('business hours: `at` decides; closed goes to the after-hours menu, open to the main one', async () => {
    const closed = await simulate({ did: HOURS_DID, keys: ['0'], at: '2026-03-09T22:00:00Z' });
    expect(closed.events[0]).toEqual({ type: 'action', action: 'time_condition', destination: flows.schedule, result: 'closed' });
    expect(closed.events[1]).toMatchObject({ type: 'menu', name: 'After hours' });
    expect(closed).toMatchObject({ ivrId: flows.afterHours, end: { kind: 'hangup', outcome: 'ended_by_ivr' } });
    expect(closed.ivrPath[0]!.at).toBe('2026-03-09T22:00:00.000Z');
    const open = await simulate({ did: HOURS_DID, keys: ['1'], at: '2026-03-09T15:00:00Z' });
    expect(open.events[0]).toMatchObject({ result: 'open' });
    expect(open).toMatchObject({ ivrId: flows.main, end: { kind: 'extension', destination: '1001' } });
  });

  it('keys running out where a key is awaited: the caller hangs up there (abandoned, left at that stage); extra keys are reported', async () => {
    const none = await simulate({ did: MAIN_DID });
    expect(none.end).toEqual({ kind: 'caller_hangup', destination: null, outcome: 'abandoned', leftAt: 'greeting' });
    const nested = await simulate({ did: MAIN_DID, keys: ['3'] });
    expect(nested.end).toEqual({ kind: 'caller_hangup', destination: null, outcome: 'abandoned', leftAt: 'menu' });
    const extra = await simulate({ did: MAIN_DID, keys: ['1', '2', 'timeout'] });
    expect(extra.unusedKeys).toEqual(['2', 'timeout']);
  });

  it('from an IVR instead of a DID; the DID in any format a call may carry', async () => {
    const s = await simulate({ ivrId: flows.support, keys: ['0'] });
    expect(s).toMatchObject({ did: null, ivrId: flows.support });
    expect(steps(s)[0]).toEqual({ step: 'ivr', ivrId: flows.support, name: 'Support' });
    const local = await simulate({ did: '08065978001', keys: ['0'] });
    expect(local.did).toBe(MAIN_DID);
  });
});

describe('POST /api/v1/simulate: the draft', () => {
  it('walks the unpublished configuration, compiled as publish compiles it, and writes no version', async () => {
    await req('PUT', `/api/v1/ivrs/${flows.main}/menu`, { options: [{ digit: '1', action_type: 'extension', action_destination: '1002' }] });
    const versions = await req<unknown[]>('GET', '/api/v1/config/versions');
    const published = await simulate({ did: MAIN_DID, keys: ['1'] });
    const draft = await simulate({ did: MAIN_DID, keys: ['1'], source: 'draft' });
    expect(published.end).toMatchObject({ kind: 'extension', destination: '1001' });
    expect(draft).toMatchObject({ source: 'draft', version: null, problems: [], end: { kind: 'extension', destination: '1002' } });
    expect(await req<unknown[]>('GET', '/api/v1/config/versions')).toEqual(versions);
  });

  it('an IVR not published yet: 404 for the published configuration, walked in the draft; the draft\'s problems come back', async () => {
    const fresh = await req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Fresh', extension: '7009' });
    const res = await post({ ivrId: fresh.id });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(/not in the published configuration/);
    const draft = await simulate({ ivrId: fresh.id, source: 'draft' });
    // No options and no direct dial: publish would refuse it; the walk shows why (no key does anything).
    expect(draft.problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'ivr_empty' })]));
    expect(draft.end).toMatchObject({ kind: 'caller_hangup', outcome: 'abandoned' });
  });
});

describe('POST /api/v1/simulate: requests it refuses', () => {
  it('400 for malformed keys, both or neither of did/ivrId, a bad instant, an unknown field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ did: MAIN_DID, keys: ['1', '12a'] }, 'keys.1'],
      [{ did: MAIN_DID, keys: ['12345678901'] }, 'keys.0'],
      [{ did: MAIN_DID, keys: '1' }, 'keys'],
      [{ did: MAIN_DID, ivrId: flows.main }, 'ivrId'],
      [{ keys: ['1'] }, 'did'],
      [{ did: MAIN_DID, at: 'tomorrow' }, 'at'],
      [{ did: MAIN_DID, source: 'live' }, 'source'],
      [{ did: MAIN_DID, key: ['1'] }, '(body)'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      const json = (await res.json()) as { code: string; details: { fields: Array<{ field: string }> } };
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(json.code).toBe('validation_error');
      expect(json.details.fields.map((f) => f.field), JSON.stringify(body)).toContain(field);
    }
  });

  it('404 for a number that is not routed, another organization\'s DID, and an organization that never published', async () => {
    const unknown = await post({ did: '+918065979999' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/\+918065979999 is not routed/);
    const other = await api.org('Other');
    const foreign = await post({ did: MAIN_DID }, { token: other.token });
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { error: string }).error).toMatch(/Nothing is published/);
    const draft = await post({ did: MAIN_DID, source: 'draft' }, { token: other.token });
    expect(draft.status).toBe(404);
  });

  it('needs a credential that reads the configuration (ivr.read)', async () => {
    const key = async (permissions: string[]) => {
      const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions } });
      return ((await res.json()) as { key: string }).key;
    };
    expect((await post({ did: MAIN_DID, keys: ['1'] }, { apiKey: await key(['ivr.read']) })).status).toBe(200);
    const denied = await post({ did: MAIN_DID }, { apiKey: await key(['did.read']) });
    expect(denied.status).toBe(403);
    expect((await post({ did: MAIN_DID }, {})).status).toBe(401);
  });
});

describe('POST /api/v1/simulate: no side effects', () => {
  it('writes no call log, callback, voicemail, bot leg or recording, and makes no folder', async () => {
    for (const keys of [['1'], ['2'], ['4'], ['5'], ['6'], ['8', '9'], ['3', '1']]) await simulate({ did: MAIN_DID, keys });
    const db = api.deps.adb;
    const { callLogs, callbackRequests, voicemailMessages, botLegs, callRecordings } = db.t;
    for (const table of [callLogs, callbackRequests, voicemailMessages, botLegs, callRecordings]) {
      expect(await db.select().from(table)).toEqual([]);
    }
    expect(existsSync(join(api.dataDir, 'recordings'))).toBe(false);
    expect(existsSync(join(api.dataDir, 'voicemail'))).toBe(false);
  });
});

describe('the reference', () => {
  it('documents POST /api/v1/simulate under its own tag, with the request and response schemas', async () => {
    const doc = (await (await api.call('GET', '/openapi.json')).json()) as {
      paths: Record<string, Record<string, { tags: string[]; requestBody: unknown; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    const op = doc.paths['/api/v1/simulate']?.post;
    expect(op?.tags).toEqual(['Simulator']);
    expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['SimulateRequest', 'Simulation', 'SimulationEvent', 'SimulationEnd']));
  });
});
