/**
 * The real switch is the judge: FreeSWITCH 1.10 booted from freeswitch-conf/, the product as
 * `npm start` runs it, SIPp callers and phones, configuration through the public API. Each case
 * asserts the SIP outcome, the call log row and the webhooks.
 *
 * Without FreeSWITCH (a laptop) the suite skips with one line; with CI=true a missing switch fails.
 * Install it with ../shared/freeswitch/install.sh (what .ci/run does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { switchMissing } from './freeswitch.ts';
import { call, finishedLog, hooksOf, nextCaller, phone, registerPhone, startWorld, type World } from './world.ts';

const missing = switchMissing();
if (missing && process.env.CI === 'true') throw new Error(`real-switch suite: ${missing} is not installed (CI runs ../shared/freeswitch/install.sh first)`);
if (missing) console.warn(`real-switch suite skipped: ${missing} not found; install with ../shared/freeswitch/install.sh (as root)`);

const MAIN_DID = '918065978001';
const EXT_DID = '918065978002';
const UNKNOWN_DID = '918065978099';
const PORTS = { ext1001: 5091, ext1002: 5092, ext1003: 5093, agent1004: 5094 };

describe.skipIf(missing !== null)('real FreeSWITCH', () => {
  let w: World;

  beforeAll(async () => {
    w = await startWorld({ EXTENSION_RING_TIMEOUT_S: '4', ...(process.env.SWITCH_CAPTURE_DIR ? { ESL_CAPTURE_DIR: process.env.SWITCH_CAPTURE_DIR } : {}) });
    const api = w.product.api;
    const exts = [
      { number: '1001', name: 'Reception', voicemail_enabled: false },
      { number: '1002', name: 'Busy Bee', voicemail_enabled: true },
      { number: '1003', name: 'Never There', voicemail_enabled: false },
      { number: '1004', name: 'Agent', voicemail_enabled: false },
    ];
    for (const e of exts) await api('POST', '/api/v1/extensions', { ...e, sip_password: `pw-${e.number}-secret` });
    await api('POST', '/api/v1/queues', { number: '5001', name: 'Sales', agents: [{ extension: '1004' }], max_wait_time: 30 });
    await api('POST', '/api/v1/queues', { number: '5002', name: 'Empty', agents: [], max_wait_time: 3 });
    const sub = (await api('POST', '/api/v1/ivrs', { name: 'Sub Menu', extension: '7002', timeout: 3, max_retries: 1 })).body;
    await api('POST', `/api/v1/ivrs/${sub.id}/generate-greeting`, { text: 'Sub menu. Press 1 for reception.' });
    await api('PUT', `/api/v1/ivrs/${sub.id}/menu`, { options: [{ digit: '1', action_type: 'extension', action_destination: '1001' }] });
    const main = (await api('POST', '/api/v1/ivrs', { name: 'Main Menu', extension: '7001', timeout: 3, max_retries: 2 })).body;
    await api('POST', `/api/v1/ivrs/${main.id}/generate-greeting`, { text: 'Welcome. Press 1 for reception.' });
    await api('PUT', `/api/v1/ivrs/${main.id}/menu`, {
      options: [
        { digit: '1', action_type: 'extension', action_destination: '1001' },
        { digit: '2', action_type: 'extension', action_destination: '1002' },
        { digit: '3', action_type: 'extension', action_destination: '1003' },
        { digit: '4', action_type: 'queue', action_destination: '5001' },
        { digit: '5', action_type: 'queue', action_destination: '5002' },
        { digit: '6', action_type: 'ivr', action_destination: sub.id },
        { digit: '7', action_type: 'external', action_destination: '+14155550100' },
        { digit: '8', action_type: 'callback', action_destination: null },
        { digit: '0', action_type: 'hangup', action_destination: null },
      ],
    });
    await api('POST', `/api/v1/ivrs/${main.id}/publish`);
    const did1 = (await api('POST', '/api/v1/dids', { number: `+${MAIN_DID}`, assign: true })).body;
    await api('PUT', `/api/v1/dids/${did1.id}`, { routing_type: 'ivr', routing_destination: main.id });
    const did2 = (await api('POST', '/api/v1/dids', { number: `+${EXT_DID}`, assign: true })).body;
    await api('PUT', `/api/v1/dids/${did2.id}`, { routing_type: 'extension', routing_destination: '1001' });
    for (const e of exts) await registerPhone(w, e.number, `pw-${e.number}-secret`, PORTS[`ext${e.number}` as keyof typeof PORTS] ?? PORTS.agent1004);
  }, 120_000);

  afterAll(async () => {
    await w?.stop();
  }, 30_000);

  it('no key: the menu times out, the switch hangs up; outcome no_input', async () => {
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, end: { kind: 'await-bye', withinMs: 40_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    const log = await finishedLog(w, caller);
    expect(log).toMatchObject({ status: 'answered', outcome: 'no_input' });
    const hooks = await hooksOf(w, log.id);
    expect(hooks.map((h) => h.type)).toEqual(expect.arrayContaining(['call.ringing', 'call.answered', 'call.hangup']));
  }, 60_000);

  it('unknown DID: never answered, 404', async () => {
    const caller = nextCaller();
    const c = await call({ dialled: UNKNOWN_DID, caller, end: { kind: 'reject', status: 404 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
  }, 30_000);

  it('key 1 → extension answers and talks 6 s: connected, attended by 1001', async () => {
    const ph = await phone(PORTS.ext1001, { kind: 'answer', ringMs: 1000, talkMs: 6000 });
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, keys: [{ afterMs: 1500, keys: '1' }], end: { kind: 'await-bye', withinMs: 30_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect((await ph.done).code).toBe(0);
    const log = await finishedLog(w, caller);
    expect(log).toMatchObject({ status: 'answered', outcome: 'connected', attended_by: '1001' });
    expect(log.ivr_path.at(-1)).toMatchObject({ step: 'action', type: 'extension', value: '1001' });
    expect(log.duration).toBeGreaterThanOrEqual(7);
    const hooks = await hooksOf(w, log.id);
    expect(hooks.at(-1)?.data.call).toMatchObject({ outcome: 'connected', attended_by: '1001' });
  }, 60_000);

  it('DID straight to an extension that answers: connected', async () => {
    const ph = await phone(PORTS.ext1001, { kind: 'answer', ringMs: 500, talkMs: 3000 });
    const caller = nextCaller();
    const c = await call({ dialled: EXT_DID, caller, end: { kind: 'await-bye', withinMs: 30_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect((await ph.done).code).toBe(0);
    const log = await finishedLog(w, caller);
    expect(log).toMatchObject({ status: 'answered', outcome: 'connected', attended_by: '1001' });
    expect(log.answered_at).not.toBeNull();
  }, 60_000);

  it('key 4 → queue, the agent answers: the talk lasts until the agent hangs up', async () => {
    const ph = await phone(PORTS.agent1004, { kind: 'answer', ringMs: 500, talkMs: 5000 });
    const caller = nextCaller();
    const t0 = Date.now();
    const c = await call({ dialled: MAIN_DID, caller, keys: [{ afterMs: 1500, keys: '4' }], end: { kind: 'await-bye', withinMs: 40_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect(Date.now() - t0).toBeGreaterThan(7000);
    expect((await ph.done).code).toBe(0);
    const log = await finishedLog(w, caller);
    expect(log).toMatchObject({ status: 'answered', outcome: 'connected', attended_by: '1004' });
    expect(log.ivr_path.at(-1)).toMatchObject({ step: 'action', type: 'queue', value: '5001' });
  }, 60_000);
});
