/**
 * The real switch is the judge: FreeSWITCH 1.10 booted from freeswitch-conf/, the product as
 * `npm start` runs it, SIPp callers and phones, configuration through the public API. Each case
 * asserts the SIP outcome, the call log row and the webhooks.
 *
 * Without FreeSWITCH (a laptop) the suite skips with one line; with CI=true a missing switch fails.
 * Install it with ../shared/freeswitch/install.sh (what .ci/run does).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAllSipp } from './sipp.ts';
import { bootFreeswitch, switchMissing } from './freeswitch.ts';
import { startSwitchBot, type SwitchBot } from './bot.ts';
import { call, finishedLog, hooksOf, nextCaller, phone, PSTN_PORT, registerPhone, startWorld, XML_CURL_TOKEN, type CallLog, type Hook, type World } from './world.ts';
import { startProduct, type Product } from './product.ts';
import { pgBin, startPgCluster, type PgCluster } from '../helpers/pg-cluster.ts';
import { join } from 'node:path';
import { ulawToL16 } from '../../src/media/g711.ts';
import { encodeWav } from '../../src/media/wav.ts';
import { analyzeSpeech, speechVerdict } from '../helpers/speech.ts';
import { untimed } from '../simulate/flows.ts';

const missing = switchMissing();
if (missing && process.env.CI === 'true') throw new Error(`real-switch suite: ${missing} is not installed (CI runs ../shared/freeswitch/install.sh first)`);
if (missing) console.warn(`real-switch suite skipped: ${missing} not found; install with ../shared/freeswitch/install.sh (as root)`);

const MAIN_DID = '918065978001';
/** The product's settings for the suite (the two-switch case starts it again with SWITCHES added). */
const WORLD_ENV: Record<string, string> = {
  EXTENSION_RING_TIMEOUT_S: '4',
  ORIGINATE_TIMEOUT_S: '4',
  SCHEDULER_POLL_MS: '250',
  AGENT_EXPIRY_CHECK_MS: '1000',
  DRAIN_TIMEOUT_MS: '20000',
  EXTERNAL_GATEWAY: 'pstn',
  RECONCILE_GRACE_MS: '1500',
  RECONCILE_INTERVAL_MS: '3000',
  BOT_SILENCE_TIMEOUT_MS: '5000',
  ...(process.env.SWITCH_CAPTURE_DIR ? { ESL_CAPTURE_DIR: process.env.SWITCH_CAPTURE_DIR } : {}),
};
/** A second FreeSWITCH on this machine: freeswitch-conf with other ports (what a user edits for that). */
const SWITCH_B_PORTS = { trunks: 5082, extensions: 5062, esl: 8022, rtpStart: 36000, rtpEnd: 39998 };
const EXT_DID = '918065978002';
const BOT_DID = '918065978003';
const TWILIO_BOT_DID = '918065978004';
const DOWN_BOT_DID = '918065978005';
const HOURS_DID = '918065978006';
const UNKNOWN_DID = '918065978099';
const PORTS = { '1001': 5091, '1002': 5092, '1003': 5093, '1004': 5094 } as const;
const KEY_AT = 1500;

describe.skipIf(missing !== null)('real FreeSWITCH', () => {
  let w: World;
  let bot: SwitchBot;
  /** A business-hours schedule that is never open (the switch runs on real time): closed → voicemail 1002. */
  let closedHours: string;

  /** The caller's finished row matches `expected`, and so does the row its call.hangup webhook carried. */
  async function logged(caller: string, expected: Record<string, unknown>): Promise<{ log: CallLog; hooks: Hook[] }> {
    const log = await finishedLog(w, caller);
    expect(log, JSON.stringify(log.ivr_path)).toMatchObject(expected);
    const hooks = await hooksOf(w, log.id);
    const hangup = hooks.find((h) => h.type === 'call.hangup')!;
    expect(hangup.data.call).toMatchObject(expected);
    expect(hangup.data.disposition).toBe(log.outcome);
    return { log, hooks };
  }
  const lastStep = (log: CallLog) => log.ivr_path.at(-1);
  let mainIvr = '';

  /** A placed call's log row, once ended (by its logid). */
  async function placedLog(logid: string, timeoutMs = 20_000): Promise<CallLog> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = (await w.product.api('GET', `/api/v1/call-logs/${logid}`, undefined, [404])).body as CallLog;
      if (row?.end_time && row.outcome) return row;
      if (Date.now() > deadline) throw new Error(`placed call ${logid} did not end: ${JSON.stringify(row)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  // SWITCH_SUITE_DATABASE=postgres: every controller of the suite on PostgreSQL (a throwaway cluster, fsync on)
  // instead of its SQLite file; the same cases, the same checks.
  let cluster: PgCluster | undefined;
  beforeAll(async () => {
    if (process.env.SWITCH_SUITE_DATABASE === 'postgres') {
      const bin = pgBin();
      if (!bin) throw new Error('SWITCH_SUITE_DATABASE=postgres: PostgreSQL is not installed (apt-get install postgresql)');
      cluster = await startPgCluster(bin, { durable: true });
      process.env.SWITCH_SUITE_PG_URL = cluster.url;
    }
  });
  afterAll(() => {
    delete process.env.SWITCH_SUITE_PG_URL;
    cluster?.stop();
  });

  beforeAll(async () => {
    w = await startWorld(WORLD_ENV);
    bot = await startSwitchBot();
    const api = w.product.api;
    const exts = [
      { number: '1001', name: 'Reception', voicemail_enabled: false },
      { number: '1002', name: 'Busy Bee', voicemail_enabled: true, voicemail_greeting: 'Busy Bee is on another call. Leave a message.' },
      { number: '1003', name: 'Never There', voicemail_enabled: false },
      { number: '1004', name: 'Agent', voicemail_enabled: false },
    ];
    for (const e of exts) await api('POST', '/api/v1/extensions', { ...e, sip_password: `pw-${e.number}-secret` });
    await api('POST', '/api/v1/queues', { number: '5001', name: 'Sales', agents: [{ extension: '1004' }], max_wait_time: 30 });
    await api('POST', '/api/v1/queues', { number: '5002', name: 'Empty', agents: [], max_wait_time: 3 });
    await api('POST', '/api/v1/queues', { number: '5003', name: 'Empty with exit', agents: [], max_wait_time: 3, timeout_destination: { type: 'voicemail', value: '1002' } });
    const sub = (await api('POST', '/api/v1/ivrs', { name: 'Sub Menu', extension: '7002', timeout: 3, max_retries: 1 })).body;
    await api('POST', `/api/v1/ivrs/${sub.id}/generate-greeting`, { text: 'Sub menu. Press 1 for reception.' });
    await api('PUT', `/api/v1/ivrs/${sub.id}/menu`, { options: [{ digit: '1', action_type: 'extension', action_destination: '1001' }] });
    const main = (await api('POST', '/api/v1/ivrs', { name: 'Main Menu', extension: '7001', timeout: 3, max_retries: 2 })).body;
    mainIvr = main.id as string;
    await api('POST', '/api/v1/tts-templates', { name: 'order_ready', text: 'Hello {{name}}, your order {{order_id}} is ready.' });
    // The default engine on a machine without Google credentials speaks (eSpeak NG in WebAssembly, from npm).
    const greeting = await api('POST', `/api/v1/ivrs/${main.id}/generate-greeting`, { text: 'Welcome. Press 1 for reception.' });
    expect(greeting.body.engine).toBe('espeak-ng-wasm');
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
        { digit: '*', action_type: 'queue', action_destination: '5003' },
      ],
    });
    // Agents are part of the published configuration: create them before publishing.
    const agent = (dialect: string, url: string) =>
      api('POST', '/api/v1/ai-agents', {
        name: `bot ${dialect} ${url.slice(-5)}`, ws_url: url, headers: {}, dialect, audio_format: dialect === 'twilio' ? 'pcmu_8k' : 'l16_16k',
        system_prompt: null, language: 'en-IN', opening_text: null, connect_timeout_ms: 1000,
        fallback_destination: { type: 'extension', value: '1001' },
      }).then((r) => r.body.id as string);
    const nativeAgent = await agent('native', bot.url);
    const twilioAgent = await agent('twilio', bot.url);
    const downAgent = await agent('native', 'ws://127.0.0.1:9');
    // A menu a bot can send the caller to, whose option is another bot leg on the same call.
    const botMenu = (await api('POST', '/api/v1/ivrs', { name: 'Bot Menu', extension: '7003', timeout: 3, max_retries: 1 })).body;
    await api('POST', `/api/v1/ivrs/${botMenu.id}/generate-greeting`, { text: 'Press 1.' });
    await api('PUT', `/api/v1/ivrs/${botMenu.id}/menu`, { options: [{ digit: '1', action_type: 'ai_agent', action_destination: nativeAgent }] });
    closedHours = (await api('POST', '/api/v1/business-hours', {
      name: 'Never open', timezone: 'Asia/Kolkata', weekly: {},
      open_destination: { type: 'extension', value: '1001' }, closed_destination: { type: 'voicemail', value: '1002' },
    })).body.id as string;
    await api('POST', `/api/v1/ivrs/${main.id}/publish`);
    const route = async (number: string, routing_type: string, routing_destination: string) => {
      const did = (await api('POST', '/api/v1/dids', { number: `+${number}`, assign: true })).body;
      await api('PUT', `/api/v1/dids/${did.id}`, { routing_type, routing_destination });
    };
    await route(MAIN_DID, 'ivr', main.id);
    await route(EXT_DID, 'extension', '1001');
    await route(BOT_DID, 'ai_agent', nativeAgent);
    await route(TWILIO_BOT_DID, 'ai_agent', twilioAgent);
    await route(DOWN_BOT_DID, 'ai_agent', downAgent);
    await route(HOURS_DID, 'time_condition', closedHours);
    for (const e of exts) await registerPhone(w, e.number, `pw-${e.number}-secret`, PORTS[e.number as keyof typeof PORTS]);
  }, 180_000);

  // A case that failed may leave its phones ringing: the next case gets the ports free.
  afterEach(() => killAllSipp());

  afterAll(async () => {
    await bot?.close();
    await w?.stop();
  }, 30_000);

  it('unknown DID: never answered (SIT tones as early media), 404: unallocated', async () => {
    const caller = nextCaller();
    const c = await call({ dialled: UNKNOWN_DID, caller, end: { kind: 'reject', status: 404 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    // A number nobody owns belongs to no organization: its row (outcome unallocated) is in no org's logs.
    await new Promise((r) => setTimeout(r, 500));
    const { body } = await w.product.api('GET', `/api/v1/call-logs?phone=${encodeURIComponent(caller)}`);
    expect(body.calls).toEqual([]);
    expect(c.rtp.heard.length).toBeGreaterThan(0); // the SIT tones, as early media
  }, 30_000);

  it('no key: the menu times out, then goodbye and the switch hangs up: no_input', async () => {
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, end: { kind: 'await-bye', withinMs: 40_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    const { log, hooks } = await logged(caller, { status: 'answered', outcome: 'no_input', left_at: 'prompt', attended_by: null });
    expect(log.ivr_path.filter((p) => p.step === 'timeout')).toHaveLength(2);
    expect(hooks.map((h) => h.type)).toEqual(expect.arrayContaining(['call.ringing', 'call.answered', 'call.hangup']));
    expect(c.rtp.loudPackets()).toBeGreaterThan(20); // the greeting was heard
    // ... and it was speech, not a tone: the first two seconds of sound the caller got, spectrally.
    const first = c.rtp.heard.findIndex((p) => p.some((b) => (b & 0x7f) < 0x70));
    const pcm = ulawToL16(Buffer.concat(c.rtp.heard.slice(first, first + 100)));
    const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2);
    const verdict = speechVerdict(analyzeSpeech(encodeWav(samples, 8000)));
    expect(verdict.speech, verdict.why).toBe(true);
  }, 60_000);

  it('key 1 → the extension answers and talks until it hangs up: connected, attended by 1001', async () => {
    const ph = await phone(PORTS['1001'], { kind: 'answer', ringMs: 1000, talkMs: 6000 });
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, keys: [{ afterMs: KEY_AT, keys: '1' }], end: { kind: 'await-bye', withinMs: 30_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect((await ph.done).code).toBe(0);
    const { log, hooks } = await logged(caller, { status: 'answered', outcome: 'connected', attended_by: '1001', left_at: 'talk', dtmf_input: '1' });
    expect(lastStep(log)).toMatchObject({ step: 'action', type: 'extension', value: '1001', result: 'answered' });
    expect(log.duration).toBeGreaterThanOrEqual(7);
    expect(hooks.map((h) => h.type)).toEqual(expect.arrayContaining(['call.dtmf', 'ivr.selection', 'call.transferred', 'call.hangup']));
    expect(ph.rtp.heard.length).toBeGreaterThan(200); // the caller's audio reached the extension
  }, 60_000);

  it('DID straight to an extension: ringback, then the bridge answers the call: connected', async () => {
    const ph = await phone(PORTS['1001'], { kind: 'answer', ringMs: 500, talkMs: 3000 });
    const caller = nextCaller();
    const c = await call({ dialled: EXT_DID, caller, end: { kind: 'await-bye', withinMs: 30_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect((await ph.done).code).toBe(0);
    const { log } = await logged(caller, { status: 'answered', outcome: 'connected', attended_by: '1001', left_at: 'talk' });
    expect(log.answered_at).not.toBeNull();
  }, 60_000);

  it('key 2 → busy extension → voicemail: greeting, beep, message stored, listed and downloadable', async () => {
    const ph = await phone(PORTS['1002'], { kind: 'busy' });
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, keys: [{ afterMs: KEY_AT, keys: '2' }], end: { kind: 'hangup', afterMs: 14_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect((await ph.done).code).toBe(0);
    const { log, hooks } = await logged(caller, { status: 'answered', outcome: 'voicemail', attended_by: 'voicemail:1002', left_at: 'voicemail' });
    const step = lastStep(log)!;
    expect(step).toMatchObject({ step: 'action', type: 'voicemail', value: '1002' });
    const messageId = String(step.result).replace('message:', '');
    const list = (await w.product.api('GET', '/api/v1/voicemail?extension=1002')).body;
    const msg = (list.messages ?? list.data ?? list).find((m: Record<string, any>) => m.id === messageId);
    expect(msg).toMatchObject({ extension: '1002', call_log_id: log.id });
    expect(msg.duration_ms).toBeGreaterThan(3000);
    const audio = await fetch(`http://127.0.0.1:8000/api/v1/voicemail/${messageId}/audio`, { headers: { authorization: `Bearer ${w.product.token}` } });
    expect(audio.status).toBe(200);
    const wav = Buffer.from(await audio.arrayBuffer());
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.length).toBeGreaterThan(30_000);
    expect(hooks.find((h) => h.type === 'voicemail.new')?.data).toMatchObject({ messageId, extension: '1002' });
  }, 60_000);

  it('the call simulator agrees with the switch: the same keys give the same path, outcome and place left (three flows)', async () => {
    const flows: Array<{ keys: string[]; real: Array<{ afterMs: number; keys: string }>; phone: boolean }> = [
      { keys: ['9', '1'], real: [{ afterMs: KEY_AT, keys: '9' }, { afterMs: 4000, keys: '1' }], phone: true },
      { keys: ['timeout', 'timeout'], real: [], phone: false },
      { keys: ['6', '1'], real: [{ afterMs: KEY_AT, keys: '6' }, { afterMs: 4500, keys: '1' }], phone: true },
    ];
    for (const f of flows) {
      const sim = await w.product.api('POST', '/api/v1/simulate', { did: `+${MAIN_DID}`, keys: f.keys });
      expect(sim.status, JSON.stringify(sim.body)).toBe(200);
      const ph = f.phone ? await phone(PORTS['1001'], { kind: 'answer', ringMs: 300, talkMs: 1500 }) : null;
      const caller = nextCaller();
      const c = await call({ dialled: MAIN_DID, caller, keys: f.real, end: { kind: 'await-bye', withinMs: 40_000 } });
      expect(c.sip.code, c.sip.errors).toBe(0);
      if (ph) expect((await ph.done).code).toBe(0);
      const log = await finishedLog(w, caller);
      const end = sim.body.end as { outcome: string; leftAt?: string };
      expect({ keys: f.keys, outcome: log.outcome, left_at: log.left_at }).toEqual({ keys: f.keys, outcome: end.outcome, left_at: end.leftAt });
      expect(untimed(log.ivr_path as Array<Record<string, unknown>>), `keys ${f.keys.join(',')}`).toEqual(untimed(sim.body.ivrPath as Array<Record<string, unknown>>));
    }
  }, 120_000);

  it('key 3 → the extension does not answer: unavailable, then the switch hangs up: no_answer', async () => {
    const ph = await phone(PORTS['1003'], { kind: 'no-answer' });
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, keys: [{ afterMs: KEY_AT, keys: '3' }], end: { kind: 'await-bye', withinMs: 30_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect((await ph.done).code).toBe(0);
    const { log } = await logged(caller, { status: 'answered', outcome: 'no_answer', attended_by: null, left_at: 'prompt' });
    expect(lastStep(log)).toMatchObject({ step: 'action', type: 'extension', value: '1003', result: 'NO_ANSWER' });
  }, 60_000);

  it('invalid key, then a valid one (nested IVR, then its option): connected through the sub menu', async () => {
    const ph = await phone(PORTS['1001'], { kind: 'answer', ringMs: 300, talkMs: 2000 });
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, keys: [{ afterMs: KEY_AT, keys: '9' }, { afterMs: 4000, keys: '6' }, { afterMs: 6500, keys: '1' }], end: { kind: 'await-bye', withinMs: 40_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect((await ph.done).code).toBe(0);
    const { log } = await logged(caller, { status: 'answered', outcome: 'connected', attended_by: '1001', dtmf_input: '961' });
    expect(log.ivr_path.map((p) => p.step)).toEqual(['did', 'ivr', 'digits', 'invalid', 'digits', 'ivr', 'digits', 'action']);
  }, 60_000);

  it('caller hangs up during the greeting: abandoned at greeting', async () => {
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, end: { kind: 'hangup', afterMs: 700 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    await logged(caller, { status: 'answered', outcome: 'abandoned', left_at: 'greeting' });
  }, 30_000);

  it('caller hangs up in the menu (after a timeout): abandoned at menu', async () => {
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, end: { kind: 'hangup', afterMs: 6500 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    await logged(caller, { status: 'answered', outcome: 'abandoned', left_at: 'menu' });
  }, 30_000);

  it('caller hangs up while the extension rings: abandoned at ringing', async () => {
    const ph = await phone(PORTS['1003'], { kind: 'no-answer' });
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, keys: [{ afterMs: KEY_AT, keys: '3' }], end: { kind: 'hangup', afterMs: KEY_AT + 2000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect((await ph.done).code).toBe(0);
    const { log } = await logged(caller, { status: 'answered', outcome: 'abandoned', left_at: 'ringing', attended_by: null });
    expect(lastStep(log)).toMatchObject({ type: 'extension', value: '1003', result: 'caller_hangup' });
  }, 30_000);

  it('caller gives up while a DID rings an extension (CANCEL): missed, abandoned at ringing', async () => {
    const ph = await phone(PORTS['1003'], { kind: 'no-answer' });
    const caller = nextCaller();
    const api = w.product.api;
    const dids = (await api('GET', '/api/v1/dids')).body as Array<{ id: string; number: string }>;
    const ext = dids.find((d) => d.number === `+${EXT_DID}`)!;
    await api('PUT', `/api/v1/dids/${ext.id}`, { routing_type: 'extension', routing_destination: '1003' });
    try {
      const c = await call({ dialled: EXT_DID, caller, end: { kind: 'cancel', afterMs: 2000 } });
      expect(c.sip.code, c.sip.errors).toBe(0);
      expect((await ph.done).code).toBe(0);
      await logged(caller, { status: 'missed', outcome: 'abandoned', left_at: 'ringing', answered_at: null });
    } finally {
      await api('PUT', `/api/v1/dids/${ext.id}`, { routing_type: 'extension', routing_destination: '1001' });
    }
  }, 30_000);

  it('caller hangs up during the talk: connected, left at talk', async () => {
    const ph = await phone(PORTS['1001'], { kind: 'answer', ringMs: 300, talkMs: 30_000 });
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, keys: [{ afterMs: KEY_AT, keys: '1' }], end: { kind: 'hangup', afterMs: 6000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect((await ph.done).code).toBe(0);
    await logged(caller, { status: 'answered', outcome: 'connected', attended_by: '1001', left_at: 'talk' });
  }, 40_000);

  it('key 4 → queue, the agent answers: the talk lasts until the agent hangs up', async () => {
    const ph = await phone(PORTS['1004'], { kind: 'answer', ringMs: 500, talkMs: 5000 });
    const caller = nextCaller();
    const t0 = Date.now();
    const agentDone = ph.done.then((r) => ({ ...r, at: Date.now() }));
    const c = await call({ dialled: MAIN_DID, caller, keys: [{ afterMs: KEY_AT, keys: '4' }], end: { kind: 'await-bye', withinMs: 40_000 } });
    const callerDone = Date.now();
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect(callerDone - t0).toBeGreaterThan(7000);
    const agent = await agentDone;
    expect(agent.code).toBe(0);
    // The agent's hangup ends the caller's call too (hangup_after_bridge), not a trip on through the dialplan.
    expect(callerDone - agent.at).toBeLessThan(1500);
    const { log, hooks } = await logged(caller, { status: 'answered', outcome: 'connected', attended_by: '1004', left_at: 'talk' });
    expect(lastStep(log)).toMatchObject({ step: 'action', type: 'queue', value: '5001', result: 'agent:1004' });
    expect(log.duration).toBeGreaterThanOrEqual(7);
    expect(hooks.map((h) => h.type)).toContain('call.bridged');
  }, 60_000);

  it('queue with no agent: the maximum wait passes, goodbye: queue_timeout', async () => {
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, keys: [{ afterMs: KEY_AT, keys: '5' }], end: { kind: 'await-bye', withinMs: 30_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    const { log } = await logged(caller, { status: 'answered', outcome: 'queue_timeout', left_at: 'prompt', attended_by: null });
    expect(lastStep(log)).toMatchObject({ type: 'queue', value: '5002', result: 'timeout' });
  }, 40_000);

  it('queue with no agent and an exit destination: the maximum wait passes, the caller goes to voicemail', async () => {
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, keys: [{ afterMs: KEY_AT, keys: '*' }], end: { kind: 'hangup', afterMs: 16_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    const { log } = await logged(caller, { status: 'answered', outcome: 'voicemail', attended_by: 'voicemail:1002', left_at: 'voicemail' });
    const steps = log.ivr_path.filter((p) => p.step === 'action');
    expect(steps[0]).toMatchObject({ type: 'queue', value: '5003', result: 'timeout' });
    expect(steps[1]).toMatchObject({ type: 'voicemail', value: '1002' });
    expect(String(steps[1]!.result)).toMatch(/^message:/);
  }, 40_000);

  it('DID → business hours, closed: the closed destination (voicemail) takes the call; the path names the schedule and its answer', async () => {
    const caller = nextCaller();
    const c = await call({ dialled: HOURS_DID, caller, end: { kind: 'hangup', afterMs: 12_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    const { log } = await logged(caller, { status: 'answered', outcome: 'voicemail', attended_by: 'voicemail:1002', left_at: 'voicemail' });
    expect(log.ivr_path[0]).toMatchObject({ step: 'did', routing: 'time_condition' });
    expect(log.ivr_path[1]).toMatchObject({ step: 'action', type: 'time_condition', value: closedHours, result: 'closed' });
    expect(log.ivr_path[2]).toMatchObject({ step: 'action', type: 'voicemail', value: '1002' });
    expect(String(log.ivr_path[2]!.result)).toMatch(/^message:/);
  }, 40_000);

  it('caller hangs up while waiting in the queue: abandoned at queue', async () => {
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, keys: [{ afterMs: KEY_AT, keys: '5' }], end: { kind: 'hangup', afterMs: KEY_AT + 2500 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    const { log } = await logged(caller, { status: 'answered', outcome: 'abandoned', left_at: 'queue' });
    expect(lastStep(log)).toMatchObject({ type: 'queue', value: '5002', result: 'caller_hangup' });
  }, 30_000);

  it('key 7 → external number through the gateway (a SIPp carrier answers): connected', async () => {
    const carrier = await phone(PSTN_PORT, { kind: 'answer', ringMs: 300, talkMs: 2500 });
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, keys: [{ afterMs: KEY_AT, keys: '7' }], end: { kind: 'await-bye', withinMs: 30_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect((await carrier.done).code).toBe(0);
    const { log } = await logged(caller, { status: 'answered', outcome: 'connected', attended_by: '+14155550100', left_at: 'talk' });
    expect(lastStep(log)).toMatchObject({ type: 'external', result: 'answered' });
  }, 40_000);

  it('key 8 → callback request: recorded for the organization, confirmation, hang up', async () => {
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, keys: [{ afterMs: KEY_AT, keys: '8' }], end: { kind: 'await-bye', withinMs: 20_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    await logged(caller, { status: 'answered', outcome: 'callback_requested' });
    const cbs = (await w.product.api('GET', '/api/v1/callbacks')).body;
    expect(JSON.stringify(cbs)).toContain(caller);
  }, 30_000);

  it('key 0 → the menu hangs up: ended_by_ivr', async () => {
    const caller = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller, keys: [{ afterMs: KEY_AT, keys: '0' }], end: { kind: 'await-bye', withinMs: 20_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    await logged(caller, { status: 'answered', outcome: 'ended_by_ivr' });
  }, 30_000);

  for (const [dialect, did] of [['native', BOT_DID], ['twilio', TWILIO_BOT_DID]] as const) {
    it(`AI agent (${dialect}): the caller hears the bot, keys reach it, the bot hangs up: bot_completed`, async () => {
      const caller = nextCaller();
      const keysBefore = bot.digits.length;
      const c = await call({ dialled: did, caller, keys: [{ afterMs: 3000, keys: '5' }, { afterMs: 4000, keys: '#' }], end: { kind: 'await-bye', withinMs: 20_000 } });
      expect(c.sip.code, c.sip.errors).toBe(0);
      expect(bot.digits.slice(keysBefore)).toEqual(['5', '#']);
      // The echo of the caller's own tone came back through unicast: loud PCMU frames, seconds of them.
      expect(c.rtp.loudPackets()).toBeGreaterThan(100);
      const { log } = await logged(caller, { status: 'answered', outcome: 'bot_completed' });
      expect(log.ivr_path.some((p) => p.type === 'ai_agent')).toBe(true);
    }, 40_000);
  }

  it('six AI calls at once (Twilio dialect, PCMU callers): every bot gets its caller’s audio for the whole call, every caller its echo', async () => {
    // Concurrent bot legs each keep their own media both ways (npm run bench -- switch-bot measures many more).
    const before = bot.mediaBySession().length;
    const calls = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 25));
        const caller = nextCaller();
        const c = await call({ dialled: TWILIO_BOT_DID, caller, keys: [{ afterMs: 5000, keys: '#' }], end: { kind: 'await-bye', withinMs: 25_000 } });
        return { caller, c };
      }),
    );
    for (const { c } of calls) {
      expect(c.sip.code, c.sip.errors).toBe(0);
      // ~4.5 s of echo at 50 frames a second.
      expect(c.rtp.loudPackets()).toBeGreaterThan(150);
    }
    const perBot = bot.mediaBySession().slice(before);
    expect(perBot).toHaveLength(6);
    for (const frames of perBot) expect(frames).toBeGreaterThan(180);
    for (const { caller } of calls) await logged(caller, { status: 'answered', outcome: 'bot_completed' });
  }, 60_000);

  it('a second bot leg on one call (bot → IVR → bot): each leg on its own socket streams both ways; keys reach the second; bot hangup', async () => {
    const caller = nextCaller();
    const startsBefore = bot.starts();
    const keysBefore = bot.digits.length;
    const c = await call({
      dialled: BOT_DID, caller,
      keys: [{ afterMs: 2500, keys: '9' }, { afterMs: 5000, keys: '1' }, { afterMs: 9000, keys: '#' }],
      end: { kind: 'await-bye', withinMs: 30_000 },
    });
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect(bot.starts() - startsBefore).toBe(2);
    // The '1' went to the menu, not to a bot.
    expect(bot.digits.slice(keysBefore)).toEqual(['9', '#']);
    // The second leg's stream lived for seconds (a second unicast in one socket session dies within ~20 ms).
    const [first, second] = bot.mediaBySession().slice(startsBefore);
    expect(first).toBeGreaterThan(50);
    expect(second).toBeGreaterThan(100);
    const { log } = await logged(caller, { status: 'answered', outcome: 'bot_completed', left_at: 'bot' });
    expect(log.ivr_path.filter((p) => p.type === 'ai_agent').map((p) => p.result)).toEqual(['transfer', 'hangup']);
  }, 40_000);

  it('AI agent transfers to an extension (key 0): connected, attended by 1001', async () => {
    const ph = await phone(PORTS['1001'], { kind: 'answer', ringMs: 300, talkMs: 2500 });
    const caller = nextCaller();
    const c = await call({ dialled: BOT_DID, caller, keys: [{ afterMs: 2000, keys: '0' }], end: { kind: 'await-bye', withinMs: 30_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect((await ph.done).code).toBe(0);
    const { log } = await logged(caller, { status: 'answered', outcome: 'connected', attended_by: '1001', left_at: 'talk' });
    expect(log.ivr_path.map((p) => p.type).filter(Boolean)).toEqual(['ai_agent', 'extension']);
  }, 40_000);

  it('AI agent transfers to a queue (key 4): the agent answers: connected, attended by 1004', async () => {
    const ph = await phone(PORTS['1004'], { kind: 'answer', ringMs: 300, talkMs: 2500 });
    const caller = nextCaller();
    const c = await call({ dialled: BOT_DID, caller, keys: [{ afterMs: 2000, keys: '4' }], end: { kind: 'await-bye', withinMs: 30_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect((await ph.done).code).toBe(0);
    await logged(caller, { status: 'answered', outcome: 'connected', attended_by: '1004', left_at: 'talk' });
  }, 40_000);

  it('caller hangs up while talking to the bot: bot_completed, left at bot', async () => {
    const caller = nextCaller();
    const c = await call({ dialled: BOT_DID, caller, end: { kind: 'hangup', afterMs: 3000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    await logged(caller, { status: 'answered', outcome: 'bot_completed', left_at: 'bot' });
  }, 30_000);

  it('AI agent down: apology, then the fallback extension answers: connected', async () => {
    const ph = await phone(PORTS['1001'], { kind: 'answer', ringMs: 300, talkMs: 2000 });
    const caller = nextCaller();
    const t0 = Date.now();
    const c = await call({ dialled: DOWN_BOT_DID, caller, end: { kind: 'await-bye', withinMs: 30_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    expect((await ph.done).code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(15_000);
    const { log } = await logged(caller, { status: 'answered', outcome: 'connected', attended_by: '1001' });
    expect(log.ivr_path.find((p) => p.type === 'ai_agent')?.result).toBe('connect_refused');
  }, 40_000);

  it('click-to-call through the API: the extension answers, then the customer through the gateway: connected', async () => {
    const agentPhone = await phone(PORTS['1001'], { kind: 'answer', ringMs: 300, talkMs: 8000 });
    const carrier = await phone(PSTN_PORT, { kind: 'answer', ringMs: 300, talkMs: 2500 });
    const placed = (await w.product.api('POST', '/api/v1/calls/click-to-call', { did: `+${MAIN_DID}`, ext_no: '1001', phone: '+14155550123' })).body;
    expect(placed).toMatchObject({ status: 'success' });
    expect((await carrier.done).code).toBe(0);
    expect((await agentPhone.done).code).toBe(0);
    const deadline = Date.now() + 15_000;
    let log: CallLog | null = null;
    while (!log && Date.now() < deadline) {
      const row = (await w.product.api('GET', `/api/v1/call-logs/${placed.logid}`, undefined, [404])).body as CallLog;
      if (row?.end_time) log = row;
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(log).toMatchObject({ type: 'click_to_call', status: 'answered', outcome: 'connected' });
    // Both legs' events reached the controller through the inbound socket's sb_call_id filter.
    expect(log!.ivr_path.map((p) => p.step)).toEqual(expect.arrayContaining(['a_ringing', 'a_answered', 'b_ringing', 'b_answered', 'bridged', 'b_hangup']));
    const hooks = await hooksOf(w, log!.id);
    expect(hooks.find((h) => h.type === 'call.hangup')?.data).toMatchObject({ disposition: 'connected' });
  }, 40_000);

  it('a masked call placed through the API: both parties through the gateway, only the DID shown: connected', async () => {
    const carrier = await phone(PSTN_PORT, { kind: 'answer', ringMs: 300, talkMs: 2500 }, 2);
    const created = (await w.product.api('POST', '/api/v1/masking-sessions', { first_phone: '+14155550111', second_phone: '+14155550122', did: `+${MAIN_DID}`, duration_minutes: 5 })).body;
    expect(created.first_phone).not.toContain('555011'); // masked in every answer
    expect((await carrier.done).code).toBe(0);
    const deadline = Date.now() + 15_000;
    let log: CallLog | null = null;
    while (!log && Date.now() < deadline) {
      const logs = (await w.product.api('GET', `/api/v1/masking-sessions/${created.id}/logs`)).body;
      const callId = (logs.calls ?? logs.data ?? logs)[0]?.call_id;
      const row = callId ? ((await w.product.api('GET', `/api/v1/call-logs/${callId}`, undefined, [404])).body as CallLog) : null;
      if (row?.end_time) log = row;
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(log).toMatchObject({ status: 'answered', outcome: 'connected' });
    expect(JSON.stringify(log)).not.toContain('4155550111');
    const hooks = await hooksOf(w, log!.id);
    expect(hooks.find((h) => h.type === 'call.hangup')?.data).toMatchObject({ disposition: 'connected' });
    expect(JSON.stringify(hooks)).not.toContain('4155550111');
  }, 40_000);

  it('flow call through the API: the customer (SIPp through the gateway) answers, hears the menu and presses 0: ended_by_ivr, the key logged', async () => {
    const customer = await phone(PSTN_PORT, { kind: 'answer', ringMs: 300, talkMs: 20_000 });
    const placed = (await w.product.api('POST', '/api/v1/calls/flow', { did: `+${MAIN_DID}`, customer_number: '+14155550177', flow_id: mainIvr })).body;
    expect(placed).toMatchObject({ status: 'success' });
    await customer.rtp.firstPacket(10_000);
    await new Promise((r) => setTimeout(r, 800));
    await customer.rtp.sendKeys('0');
    expect((await customer.done).code).toBe(0);
    const log = await placedLog(placed.logid);
    expect(log).toMatchObject({ type: 'flow', status: 'answered', outcome: 'ended_by_ivr', dtmf_input: '0', caller_number: '+14155550177' });
    expect(log.ivr_path.map((p) => p.step)).toEqual(expect.arrayContaining(['placed', 'ivr', 'digits']));
    expect(customer.rtp.loudPackets()).toBeGreaterThan(10);
    const hooks = await hooksOf(w, placed.logid);
    expect(hooks.map((h) => h.type)).toEqual(expect.arrayContaining(['call.ringing', 'call.answered', 'call.dtmf', 'call.hangup']));
    expect(hooks.filter((h) => h.type === 'call.hangup')).toHaveLength(1);
    expect(hooks.find((h) => h.type === 'call.hangup')?.data).toMatchObject({ disposition: 'ended_by_ivr' });
  }, 40_000);

  it('scheduled tts call: at its time the customer answers, hears the rendered template, then the switch hangs up: message_played', async () => {
    const customer = await phone(PSTN_PORT, { kind: 'answer', ringMs: 300, talkMs: 30_000 });
    const at = new Date(Date.now() + 2_000).toISOString();
    const placed = (await w.product.api('POST', '/api/v1/calls/tts', {
      did: `+${MAIN_DID}`, customer_number: '+14155550178', template: 'order_ready', variables: { name: 'John', order_id: 'ORD 12345' }, schedule_datetime: at,
    })).body;
    expect(placed).toMatchObject({ status: 'success', message: 'Call scheduled', scheduled_at: at });
    expect((await w.product.api('GET', `/api/v1/calls/${placed.logid}`)).body).toMatchObject({ status: 'scheduled', type: 'tts' });
    const t0 = Date.now();
    expect((await customer.done).code).toBe(0);
    const log = await placedLog(placed.logid);
    expect(log).toMatchObject({ type: 'tts', status: 'answered', outcome: 'message_played' });
    expect(Date.parse(log.start_time as string)).toBeGreaterThanOrEqual(Date.parse(at) - 50);
    expect(customer.rtp.loudPackets()).toBeGreaterThan(25);
    expect(Date.now() - t0).toBeLessThan(25_000);
    const hooks = await hooksOf(w, placed.logid);
    expect(hooks.find((h) => h.type === 'call.hangup')?.data).toMatchObject({ disposition: 'message_played' });
  }, 45_000);

  it('flow call to a busy customer, and to one who never answers: busy, no_answer; the calls failed, no session', async () => {
    const busy = await phone(PSTN_PORT, { kind: 'busy' });
    const b = (await w.product.api('POST', '/api/v1/calls/flow', { did: `+${MAIN_DID}`, customer_number: '+14155550179', flow_id: mainIvr })).body;
    await busy.done;
    expect(await placedLog(b.logid)).toMatchObject({ type: 'flow', status: 'failed', outcome: 'busy', hangup_cause: 'USER_BUSY' });
    const silent = await phone(PSTN_PORT, { kind: 'no-answer' });
    const n = (await w.product.api('POST', '/api/v1/calls/flow', { did: `+${MAIN_DID}`, customer_number: '+14155550180', flow_id: mainIvr })).body;
    await silent.done;
    const log = await placedLog(n.logid);
    expect(log).toMatchObject({ type: 'flow', status: 'failed', outcome: 'no_answer' });
    expect((await hooksOf(w, n.logid)).find((h) => h.type === 'call.hangup')?.data).toMatchObject({ disposition: 'no_answer' });
    expect((await w.product.api('GET', `/api/v1/calls/${n.logid}`)).body).toMatchObject({ status: 'failed' });
  }, 40_000);

  it('a campaign through the real switch: one customer answers and presses 1, one is busy (retried once), one never answers', async () => {
    const carrier = await phone(PSTN_PORT, { kind: 'by-number', busy: '5550282@', noAnswer: '5550283@', ringMs: 300, talkMs: 20_000 }, 4);
    const api = w.product.api;
    const c = (await api('POST', '/api/v1/campaigns', {
      name: 'Switch campaign', did: `+${MAIN_DID}`, flow_id: mainIvr, no_of_call: 3, start_time: '00:00', end_time: '24:00', days: [0, 1, 2, 3, 4, 5, 6],
      timezone: 'UTC', retry: { busy: { attempts: 2, spacing_minutes: 0.05 }, no_answer: { attempts: 1, spacing_minutes: 0 } },
    })).body;
    const added = (await api('POST', `/api/v1/campaigns/${c.id}/numbers/bulk`, { numbers: ['+14155550281', '+14155550282', '+14155550283'] })).body;
    expect(added).toMatchObject({ added: 3 });
    await api('POST', `/api/v1/campaigns/${c.id}/status`, { status: 'on' });
    // The answered customer hears the menu, then presses 1 (the main menu's extension 1001).
    const ext = await phone(PORTS['1001'], { kind: 'answer', ringMs: 300, talkMs: 1500 });
    await carrier.rtp.firstPacket(15_000);
    await new Promise((r) => setTimeout(r, 800));
    await carrier.rtp.sendKeys('1');
    const deadline = Date.now() + 30_000;
    let totals: Record<string, number> = {};
    while (Date.now() < deadline) {
      totals = (await api('GET', `/api/v1/campaigns/${c.id}`)).body.totals;
      if (totals.pending === 0 && totals.dialing === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(totals).toMatchObject({ numbers: 3, completed: 1, answered: 1, failed: 2, pending: 0, dialing: 0 });
    expect((await carrier.done).code).toBe(0);
    await ext.done;
    const logs = (await api('GET', `/api/v1/campaign-logs?campaign_id=${c.id}`)).body.attempts as Array<Record<string, any>>;
    const of = (n: string) => logs.filter((a) => a.number === n).sort((a, b) => a.attempt - b.attempt).map((a) => [a.attempt, a.answered, a.outcome]);
    expect(of('+14155550281')).toEqual([[1, true, 'connected']]);
    expect(of('+14155550282')).toEqual([[1, false, 'busy'], [2, false, 'busy']]);
    expect(of('+14155550283')).toEqual([[1, false, 'no_answer']]);
    expect(logs.find((a) => a.number === '+14155550281')?.dtmf).toBe('1');
    const answered = await placedLog(logs.find((a) => a.number === '+14155550281')!.call_id as string);
    expect(answered).toMatchObject({ type: 'flow', outcome: 'connected', attended_by: '1001' });
    const hooks = await hooksOf(w, answered.id);
    expect(hooks.find((h) => h.type === 'call.hangup')?.data).toMatchObject({ disposition: 'connected' });
    await api('POST', `/api/v1/campaigns/${c.id}/status`, { status: 'off' });
  }, 60_000);

  it('controller restart during calls: calls in flight and calls while it is down are logged; new calls work', async () => {
    const inFlight = [nextCaller(), nextCaller(), nextCaller()];
    const calls = inFlight.map((caller) => call({ dialled: MAIN_DID, caller, end: { kind: 'await-bye', withinMs: 40_000 } }));
    await new Promise((r) => setTimeout(r, 2500));
    w.product.kill();
    // While the controller is down: FreeSWITCH answers with the special information tones.
    const whileDown = nextCaller();
    const down = await call({ dialled: MAIN_DID, caller: whileDown, end: { kind: 'await-bye', withinMs: 20_000 } });
    expect(down.sip.code, down.sip.errors).toBe(0);
    expect(down.rtp.loudPackets()).toBeGreaterThan(20); // the tones
    for (const c of await Promise.all(calls)) expect(c.sip.code, c.sip.errors).toBe(0);
    await w.product.restart();
    // Nothing is lost: every call has a finished row (closed by the reconciliation), with a webhook.
    for (const caller of inFlight) {
      const log = await finishedLog(w, caller, 30_000);
      expect(log.outcome).toBe('controller_lost');
      await hooksOf(w, log.id, 'call.hangup', 15_000);
    }
    const unseen = await finishedLog(w, whileDown, 30_000);
    expect(unseen).toMatchObject({ outcome: 'controller_unavailable', status: 'missed' });
    await hooksOf(w, unseen.id, 'call.hangup', 15_000);
    const open = (await w.product.api('GET', '/api/v1/call-logs?limit=500')).body.calls.filter((c: CallLog) => c.status === 'in_progress');
    expect(open).toEqual([]);
    // New calls work.
    const after = nextCaller();
    const c = await call({ dialled: MAIN_DID, caller: after, keys: [{ afterMs: KEY_AT, keys: '0' }], end: { kind: 'await-bye', withinMs: 20_000 } });
    expect(c.sip.code, c.sip.errors).toBe(0);
    await logged(after, { status: 'answered', outcome: 'ended_by_ivr' });
  }, 120_000);

  it('an agent created through the API registers; disabled, its REGISTER is refused; GET /extensions shows its registration', async () => {
    const created = (await w.product.api('POST', '/api/v1/agents', { name: 'Switch Agent', email: 'switch.agent@example.com', password: 'Sunrise2026x' })).body;
    const number = created.extension.number as string;
    // The directory serves published extensions only: publishing puts the new one in the snapshot.
    await w.product.api('POST', `/api/v1/ivrs/${mainIvr}/publish`);
    await registerPhone(w, number, created.sip_password as string, 5095);
    const ext = (await w.product.api('GET', `/api/v1/extensions/${created.extension.id as string}`)).body;
    expect(ext).toMatchObject({ number, owner: { agent_id: created.id, enabled: true }, registration: { registered: true } });
    expect(ext.registration.contact).toContain(':5095');
    const disabled = (await w.product.api('PATCH', `/api/v1/agents/${created.id as string}`, { enabled: false })).body;
    expect(disabled).toMatchObject({ enabled: false, disabled_reason: 'admin' });
    // The directory has no such user now: FreeSWITCH answers the REGISTER with a 403, so SIPp's scenario fails.
    await expect(registerPhone(w, number, created.sip_password as string, 5096)).rejects.toThrow(/registration of \d+ failed/);
    const list = (await w.product.api('GET', '/api/v1/extensions')).body as Array<{ number: string; owner: { enabled: boolean } | null; registration: { registered: boolean | null } }>;
    const mine = list.find((e) => e.number === number)!;
    expect(mine.owner).toMatchObject({ enabled: false });
    expect(mine.registration.registered).not.toBeNull(); // the switch answered (the earlier registration lasts until it expires)

    // An expiry date: registered until it passes, refused after it; the sweep marks the agent disabled (expired).
    const expiresAt = new Date(Date.now() + 4_000).toISOString();
    const temp = (await w.product.api('POST', '/api/v1/agents', { name: 'Temp Agent', email: 'temp.agent@example.com', password: 'Moonrise2026y', expires_at: expiresAt })).body;
    await w.product.api('POST', `/api/v1/ivrs/${mainIvr}/publish`);
    await registerPhone(w, temp.extension.number as string, temp.sip_password as string, 5097);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(expiresAt) - Date.now()) + 1_500));
    await expect(registerPhone(w, temp.extension.number as string, temp.sip_password as string, 5098)).rejects.toThrow(/registration of \d+ failed/);
    expect((await w.product.api('GET', `/api/v1/agents/${temp.id as string}`)).body).toMatchObject({ enabled: false, disabled_reason: 'expired' });
  }, 60_000);

  // Last: it stops the world's controller (drain), then crashes the second one's peer.
  it('two controllers on one switch: SIGTERM drains the first (its call finishes and is logged, new calls go to the second, exit 0); a crash of the first sends new calls and its cut-off call to the second (which starts it over; the dead one’s row is closed controller_lost)', async () => {
    const second: Product = await startProduct({
      dir: join(w.dir, 'second'), dataDir: w.product.dataDir, httpPort: 8001, xmlCurlToken: XML_CURL_TOKEN,
      env: { ESL_SERVER_PORT: '8085', EXTENSION_RING_TIMEOUT_S: '4', EXTERNAL_GATEWAY: 'pstn', RECONCILE_GRACE_MS: '1500', RECONCILE_INTERVAL_MS: '3000', DRAIN_TIMEOUT_MS: '20000' },
    });
    try {
      // A number routed and published through the second instance is live on the first for its next call.
      const viaSecond = (await second.api('POST', '/api/v1/dids', { number: '+918065978077', assign: true })).body;
      await second.api('PUT', `/api/v1/dids/${viaSecond.id as string}`, { routing_type: 'ivr', routing_destination: mainIvr });
      const published = nextCaller();
      const c0 = await call({ dialled: '918065978077', caller: published, keys: [{ afterMs: KEY_AT, keys: '0' }], end: { kind: 'await-bye', withinMs: 20_000 } });
      expect(c0.sip.code, c0.sip.errors).toBe(0);
      await logged(published, { outcome: 'ended_by_ivr', did: '+918065978077' });

      // A call in progress on the first controller: it presses 0 six seconds in.
      const inFlight = nextCaller();
      const first = call({ dialled: MAIN_DID, caller: inFlight, keys: [{ afterMs: 6000, keys: '0' }], end: { kind: 'await-bye', withinMs: 30_000 } });
      await new Promise((r) => setTimeout(r, 2500));
      const exited = w.product.terminate();
      await new Promise((r) => setTimeout(r, 300));
      const ready = await fetch('http://127.0.0.1:8000/ready').then((r) => r.status).catch(() => 0);
      expect(ready).toBe(503);
      // A new call while the first drains: the second controller takes it.
      const during = nextCaller();
      const c2 = await call({ dialled: MAIN_DID, caller: during, keys: [{ afterMs: KEY_AT, keys: '0' }], end: { kind: 'await-bye', withinMs: 20_000 } });
      expect(c2.sip.code, c2.sip.errors).toBe(0);
      expect((await first).sip.code).toBe(0);
      expect(await exited).toBe(0);
      const view = { ...w, product: second };
      const logOf = async (caller: string) => (await (async () => {
        const deadline = Date.now() + 15_000;
        for (;;) {
          const rows = (await second.api('GET', `/api/v1/call-logs?phone=${encodeURIComponent(caller)}`)).body.calls as CallLog[];
          const done = rows.filter((r) => r.end_time);
          if (done.length > 0) return done;
          if (Date.now() > deadline) throw new Error(`no finished log for ${caller}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      })());
      expect(await logOf(inFlight)).toEqual([expect.objectContaining({ outcome: 'ended_by_ivr', dtmf_input: '0' })]);
      expect(await logOf(during)).toEqual([expect.objectContaining({ outcome: 'ended_by_ivr' })]);
      const hooks = await hooksOf(view, (await logOf(inFlight))[0]!.id);
      expect(hooks.find((h) => h.type === 'call.hangup')?.data).toMatchObject({ disposition: 'ended_by_ivr' });

      // The first comes back; then it crashes with a call on it: the cut-off call goes on at the second
      // (it starts over there), a new call meanwhile is taken by the second, none is refused, and the dead
      // controller's row of the cut-off call is closed by the reconciliation (controller_lost).
      await w.product.restart();
      const cutCaller = nextCaller();
      const cut = call({ dialled: MAIN_DID, caller: cutCaller, keys: [{ afterMs: 7000, keys: '0' }], end: { kind: 'await-bye', withinMs: 40_000 } });
      await new Promise((r) => setTimeout(r, 2500));
      w.product.kill();
      const meanwhile = nextCaller();
      const c3 = await call({ dialled: MAIN_DID, caller: meanwhile, keys: [{ afterMs: KEY_AT, keys: '0' }], end: { kind: 'await-bye', withinMs: 20_000 } });
      expect(c3.sip.code, c3.sip.errors).toBe(0);
      expect((await cut).sip.code).toBe(0);
      expect(await logOf(meanwhile)).toEqual([expect.objectContaining({ outcome: 'ended_by_ivr' })]);
      const deadline = Date.now() + 20_000;
      let cutRows: CallLog[] = [];
      while (Date.now() < deadline) {
        cutRows = (await second.api('GET', `/api/v1/call-logs?phone=${encodeURIComponent(cutCaller)}`)).body.calls as CallLog[];
        if (cutRows.length === 2 && cutRows.every((r) => r.end_time)) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(cutRows.map((r) => r.outcome).sort()).toEqual(['controller_lost', 'ended_by_ivr']);
    } finally {
      second.kill();
      if (!(await fetch('http://127.0.0.1:8000/health').then((r) => r.ok).catch(() => false))) await w.product.restart();
    }
  }, 120_000);

  it('one controller, two real switches: calls into each are logged with their switch; placed calls alternate between them; a switch that dies takes only its own calls, and new calls go to the other', async () => {
    // The suite's product stops; the same product (same database) starts again serving switch a (the
    // suite's) and switch b (a second FreeSWITCH from freeswitch-conf, other ports), round robin.
    await w.product.stop();
    const b = await bootFreeswitch({ xmlCurlToken: XML_CURL_TOKEN, pstnPort: PSTN_PORT, ports: SWITCH_B_PORTS });
    let both: Product | null = null;
    try {
      both = await startProduct({
        dir: join(w.dir, 'two-switches'), dataDir: w.product.dataDir, xmlCurlToken: XML_CURL_TOKEN,
        env: { ...WORLD_ENV, SWITCHES: `a=127.0.0.1:8021:ClueCon,b=127.0.0.1:${SWITCH_B_PORTS.esl}:ClueCon`, SWITCH_ORIGINATE_POLICY: 'round_robin', RECONCILE_SWITCH_DOWN_MS: '3000' },
      });
      const api = both.api;
      const view: World = { ...w, product: both };
      const switchesUp = async () => ((await api('GET', '/ready', undefined, [503])).body.switches as Array<{ id: string; connected: boolean }>);
      await expect.poll(switchesUp, { timeout: 15_000 }).toEqual([{ id: 'a', connected: true }, { id: 'b', connected: true }]);

      // Inbound: the same DID on both switches, one call each at the same time; each row names its switch.
      const onA = nextCaller();
      const onB = nextCaller();
      const [ca, cb] = await Promise.all([
        call({ dialled: MAIN_DID, caller: onA, keys: [{ afterMs: KEY_AT, keys: '0' }], end: { kind: 'await-bye', withinMs: 20_000 } }),
        call({ dialled: MAIN_DID, caller: onB, keys: [{ afterMs: KEY_AT, keys: '0' }], end: { kind: 'await-bye', withinMs: 20_000 }, to: `127.0.0.1:${SWITCH_B_PORTS.trunks}` }),
      ]);
      expect(ca.sip.code, ca.sip.errors).toBe(0);
      expect(cb.sip.code, cb.sip.errors).toBe(0);
      const logA = await finishedLog(view, onA);
      const logB = await finishedLog(view, onB);
      expect(logA).toMatchObject({ switch_id: 'a', outcome: 'ended_by_ivr', dtmf_input: '0' });
      expect(logB).toMatchObject({ switch_id: 'b', outcome: 'ended_by_ivr', dtmf_input: '0' });
      expect((await hooksOf(view, logB.id)).find((h) => h.type === 'call.hangup')?.data).toMatchObject({ disposition: 'ended_by_ivr', call: { switch_id: 'b' } });
      expect(ca.rtp.loudPackets()).toBeGreaterThan(10);
      expect(cb.rtp.loudPackets()).toBeGreaterThan(10);

      // Placed: two flow calls in a row; round robin puts one on each switch, both through its pstn gateway.
      const placedOn: string[] = [];
      for (const n of ['+14155550191', '+14155550192']) {
        const customer = await phone(PSTN_PORT, { kind: 'answer', ringMs: 200, talkMs: 20_000 });
        const placed = (await api('POST', '/api/v1/calls/flow', { did: `+${MAIN_DID}`, customer_number: n, flow_id: mainIvr })).body;
        await customer.rtp.firstPacket(10_000);
        await new Promise((r) => setTimeout(r, 800));
        await customer.rtp.sendKeys('0');
        expect((await customer.done).code).toBe(0);
        const log = await (async () => {
          const deadline = Date.now() + 15_000;
          for (;;) {
            const row = (await api('GET', `/api/v1/call-logs/${placed.logid as string}`, undefined, [404])).body as CallLog;
            if (row?.end_time && row.outcome) return row;
            if (Date.now() > deadline) throw new Error(`placed call ${placed.logid as string} did not end`);
            await new Promise((r) => setTimeout(r, 200));
          }
        })();
        expect(log).toMatchObject({ type: 'flow', outcome: 'ended_by_ivr', caller_number: n });
        placedOn.push(log.switch_id as string);
      }
      expect(placedOn.sort()).toEqual(['a', 'b']);

      // Switch b dies (SIGKILL) with a caller in its menu: /ready stays 200 and names b down; the call's
      // row is closed at once as failed / SWITCH_LOST (its socket went with the switch, no hangup came); a call
      // on a meanwhile is untouched; placed calls go to a.
      const stranded = nextCaller();
      const onBDying = call({ dialled: MAIN_DID, caller: stranded, end: { kind: 'hangup', afterMs: 9_000 }, to: `127.0.0.1:${SWITCH_B_PORTS.trunks}`, timeoutMs: 20_000 });
      const steady = nextCaller();
      const onAMeanwhile = call({ dialled: MAIN_DID, caller: steady, keys: [{ afterMs: 5_000, keys: '0' }], end: { kind: 'await-bye', withinMs: 20_000 } });
      await new Promise((r) => setTimeout(r, 2_500));
      process.kill(b.pid, 'SIGKILL');
      await expect.poll(switchesUp, { timeout: 10_000 }).toEqual([{ id: 'a', connected: true }, { id: 'b', connected: false }]);
      expect((await api('GET', '/ready', undefined, [503])).status).toBe(200);
      expect((await onAMeanwhile).sip.code).toBe(0);
      expect(await finishedLog(view, steady)).toMatchObject({ switch_id: 'a', outcome: 'ended_by_ivr' });
      const lost = await finishedLog(view, stranded, 20_000);
      expect(lost).toMatchObject({ switch_id: 'b', status: 'answered', outcome: 'failed', hangup_cause: 'SWITCH_LOST' });
      await onBDying.catch(() => undefined);
      const customer = await phone(PSTN_PORT, { kind: 'answer', ringMs: 200, talkMs: 20_000 });
      const afterward = (await api('POST', '/api/v1/calls/flow', { did: `+${MAIN_DID}`, customer_number: '+14155550193', flow_id: mainIvr })).body;
      await customer.rtp.firstPacket(10_000);
      await new Promise((r) => setTimeout(r, 800));
      await customer.rtp.sendKeys('0');
      expect((await customer.done).code).toBe(0);
      await expect.poll(async () => ((await api('GET', `/api/v1/call-logs/${afterward.logid as string}`)).body as CallLog).switch_id, { timeout: 10_000 }).toBe('a');
    } finally {
      await both?.stop();
      await b.stop();
      await w.product.restart();
    }
  }, 150_000);
});
