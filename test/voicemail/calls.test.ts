/**
 * Voicemail end to end against the emulator: configure through the API, publish, call, and find the
 * message through the API, the call log and the events.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startController, type ControllerHarness } from '../helpers/controller.ts';
import type { CallerScript, CallerStep } from '../emulator/index.ts';
import { decodeWav } from '../../src/media/wav.ts';
import { DEFAULT_VOICEMAIL_GREETING, greetingPath, greetingRenderer } from '../../src/services/voicemail/greeting.ts';
import { VOICEMAIL_BEEP } from '../../src/call/actions/voicemail.ts';
import { PROMPTS } from '../../src/call/prompts.ts';

const DID = '+918065978001';
const DIRECT_DID = '+918065978002';
const GREETING = 'You have reached Asha. Please leave a message after the tone.';

type Message = { id: string; extension: string; caller: string | null; did: string | null; call_log_id: string | null; duration_ms: number; audio_url: string };
type Page = { messages: Message[]; total: number };
type Step = { step: string; type?: string; value?: string | null; result?: string };

let h: ControllerHarness | undefined;
let plain: ControllerHarness | undefined;
afterEach(async () => {
  await h?.close();
  await plain?.close();
  h = plain = undefined;
});

/** 1001 (own greeting) behind key 1 of the menu, key 2 straight to 1003's box (default greeting); DIRECT_DID rings 1001. */
async function configure(x: { req: ControllerHarness['req'] }): Promise<void> {
  await x.req('POST', '/api/v1/extensions', { number: '1001', name: 'Asha', voicemail_enabled: true, voicemail_greeting: GREETING });
  await x.req('POST', '/api/v1/extensions', { number: '1003', name: 'Mira', voicemail_enabled: true });
  const ivr = await x.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Main', extension: '7001', timeout: 1, max_retries: 2 });
  await x.req('PUT', `/api/v1/ivrs/${ivr.id}/menu`, {
    options: [
      { digit: '1', action_type: 'extension', action_destination: '1001' },
      { digit: '2', action_type: 'voicemail', action_destination: '1003' },
    ],
  });
  const did = await x.req<{ id: string }>('POST', '/api/v1/dids', { number: DID, assign: true });
  await x.req('PUT', `/api/v1/dids/${did.id}`, { routing_type: 'ivr', routing_destination: ivr.id });
  const direct = await x.req<{ id: string }>('POST', '/api/v1/dids', { number: DIRECT_DID, assign: true });
  await x.req('PUT', `/api/v1/dids/${direct.id}`, { routing_type: 'extension', routing_destination: '1001' });
  await x.req('POST', `/api/v1/ivrs/${ivr.id}/publish`);
}

const key = (digits: string): CallerStep => ({ when: { onApp: 'play_and_get_digits', afterMs: 5 }, do: { kind: 'dtmf', digits } });
const hangupDuring = (app: string, afterMs: number, nth = 1): CallerStep => ({ when: { onApp: app, nth, afterMs }, do: { kind: 'hangup' } });

/** The app and argument of each execute the controller sent, in order. */
function executes(commands: string[]): Array<{ app: string; arg: string }> {
  return commands.filter((c) => c.includes('call-command: execute')).map((c) => ({
    app: /execute-app-name: (.*)/.exec(c)?.[1] ?? '',
    arg: /execute-app-arg: (.*)/.exec(c)?.[1] ?? '',
  }));
}

async function place(x: ControllerHarness, destination: string, script: CallerScript) {
  const call = x.emu.placeCall({ destination, callerIdNumber: '09800000001', script });
  const summary = await call.done;
  await x.settle();
  return { call, summary, apps: executes(call.recorder.commands()), log: await x.callLog(summary.uuid) };
}

const voicemailSteps = (path: unknown) => (path as Step[]).filter((p) => p.step === 'action' && p.type === 'voicemail');
const voicemailDir = (x: ControllerHarness) => resolve(x.api.dataDir, 'voicemail', x.org.orgId);

describe('voicemail through the controller', () => {
  it('busy extension: greeting, beep, record; the caller hangs up while recording and the message is kept', async () => {
    h = await startController({ voicemail: true, webhooks: true });
    await configure(h);
    const hook = await h.req<{ id: string }>('POST', '/api/v1/webhooks', { url: 'https://crm.example.com/hooks', events: ['voicemail.new'] });
    const { summary, apps, log } = await place(h, '918065978001', { steps: [key('1'), hangupDuring('record', 60)], bridge: 'busy' });
    expect(summary.hangupCause).toBe('NORMAL_CLEARING');

    // What FreeSWITCH was asked to do after the failed bridge, in order.
    const renderer = greetingRenderer(h.api.config, h.api.deps.tts);
    const afterBridge = apps.slice(apps.findIndex((a) => a.app === 'bridge') + 1);
    expect(afterBridge.map((a) => a.app)).toEqual(['playback', 'playback', 'record']);
    expect(afterBridge[0]!.arg).toBe(greetingPath(renderer, GREETING));
    expect(existsSync(afterBridge[0]!.arg)).toBe(true);
    expect(afterBridge[1]!.arg).toBe(VOICEMAIL_BEEP);
    const rec = /^(\S+) 120 200 5$/.exec(afterBridge[2]!.arg);
    expect(rec, afterBridge[2]!.arg).not.toBeNull();
    const file = rec![1]!;
    expect(file.startsWith(`${voicemailDir(h)}/`)).toBe(true);

    // The message, through the API.
    const page = await h.req<Page>('GET', '/api/v1/voicemail?extension=1001');
    expect(page.total).toBe(1);
    const m = page.messages[0]!;
    expect(m).toMatchObject({ extension: '1001', caller: '+919800000001', did: DID, call_log_id: log.id, audio_url: `/api/v1/voicemail/${m.id}/audio` });
    expect(file).toBe(join(voicemailDir(h), `${m.id}.wav`));
    // 60 ms of the emulator's scaled time is ~3 s of the caller's: 2 s of speech, then silence.
    expect(m.duration_ms).toBeGreaterThanOrEqual(2500);
    expect(m.duration_ms).toBeLessThan(7000);
    const audio = await h.api.call('GET', `${m.audio_url}?token=${h.org.token}`);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    const wav = decodeWav(Buffer.from(await audio.arrayBuffer()));
    expect(Math.round((wav.data.length / 2 / wav.sampleRate) * 1000)).toBe(m.duration_ms);
    const first = Array.from({ length: 800 }, (_, i) => Math.abs(wav.data.readInt16LE(i * 2)));
    expect(Math.max(...first)).toBeGreaterThan(1000); // the caller's voice, not silence

    // The call log points at it.
    expect(log).toMatchObject({ disposition: 'voicemail', answeredBy: 'voicemail:1001', dtmf: '1' });
    const steps = log.path as Step[];
    expect(steps.find((p) => p.type === 'extension')).toMatchObject({ value: '1001', result: 'USER_BUSY' });
    expect(voicemailSteps(steps)).toEqual([expect.objectContaining({ value: '1001', result: `message:${m.id}` })]);

    // voicemail.new on the bus, after the transfer to voicemail and before the hangup; and a webhook delivery.
    const types = h.events.map((e) => e.type);
    expect(types.slice(types.indexOf('call.transferred'))).toEqual(['call.transferred', 'call.transferred', 'voicemail.new', 'call.hangup']);
    const event = h.events.find((e) => e.type === 'voicemail.new');
    expect(event).toMatchObject({ callId: log.id, orgId: h.org.orgId, messageId: m.id, extension: '1001', caller: '+919800000001', durationMs: m.duration_ms });
    await h.outbox!.flush();
    const { webhookDeliveries } = h.api.deps.adb.t;
    const deliveries = await h.api.deps.adb.select({ endpointId: webhookDeliveries.endpointId, eventType: webhookDeliveries.eventType, body: webhookDeliveries.body }).from(webhookDeliveries);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ endpointId: hook.id, eventType: 'voicemail.new' });
    expect(JSON.parse(deliveries[0]!.body).data).toMatchObject({ messageId: m.id, extension: '1001', callId: log.id, durationMs: m.duration_ms });

    // Deleting it removes the file.
    expect((await h.api.call('DELETE', `/api/v1/voicemail/${m.id}`, { token: h.org.token })).status).toBe(204);
    expect(existsSync(file)).toBe(false);
    expect((await h.req<Page>('GET', '/api/v1/voicemail')).total).toBe(0);
  });

  it('menu voicemail option: default greeting; silence ends the message, then goodbye and hangup', async () => {
    h = await startController({ voicemail: true, webhooks: true });
    await configure(h);
    const { summary, apps, log } = await place(h, '918065978001', { steps: [key('2')], recordTalkMs: 1500 });
    const renderer = greetingRenderer(h.api.config, h.api.deps.tts);
    const tail = apps.slice(apps.findIndex((a) => a.app === 'play_and_get_digits') + 1);
    expect(tail.map((a) => a.app)).toEqual(['playback', 'playback', 'record', 'playback']);
    expect(tail[0]!.arg).toBe(greetingPath(renderer, DEFAULT_VOICEMAIL_GREETING));
    expect(tail[3]!.arg).toBe(PROMPTS.goodbye);
    expect(summary.hangupCause).toBe('NORMAL_CLEARING');

    const page = await h.req<Page>('GET', '/api/v1/voicemail');
    expect(page.messages).toHaveLength(1);
    // 1.5 s of speech, then 5 s of silence (the silence hits) ends it: FreeSWITCH's record_ms.
    expect(page.messages[0]).toMatchObject({ extension: '1003', duration_ms: 6500, call_log_id: log.id });
    expect(log).toMatchObject({ disposition: 'voicemail', answeredBy: 'voicemail:1003' });
    expect(voicemailSteps(log.path)).toEqual([expect.objectContaining({ value: '1003', result: `message:${page.messages[0]!.id}` })]);
    expect(h.events.filter((e) => e.type === 'voicemail.new')).toHaveLength(1);
  });

  it('DID to an extension that does not answer: VOICEMAIL_MAX_SECONDS bounds the message; * ends one early', async () => {
    h = await startController({ voicemail: true, webhooks: true, env: { VOICEMAIL_MAX_SECONDS: '7' } });
    await configure(h);
    const long = await place(h, '918065978002', { recordTalkMs: 600_000, bridge: 'no-answer' });
    expect(long.apps.find((a) => a.app === 'record')!.arg).toMatch(/ 7 200 5$/);
    const star = await place(h, '918065978002', { recordTalkMs: 600_000, bridge: 'no-answer', steps: [{ when: { onApp: 'record', afterMs: 40 }, do: { kind: 'dtmf', digits: '*' } }] });
    expect(star.apps.slice(-2)).toEqual([{ app: 'record', arg: expect.stringMatching(/ 7 200 5$/) }, { app: 'playback', arg: PROMPTS.goodbye }]);
    expect(star.summary.hangupCause).toBe('NORMAL_CLEARING');

    const page = await h.req<Page>('GET', '/api/v1/voicemail');
    const byCall = new Map(page.messages.map((m) => [m.call_log_id, m]));
    expect(byCall.get(long.log.id)).toMatchObject({ extension: '1001', did: DIRECT_DID, duration_ms: 7000 });
    const early = byCall.get(star.log.id)!.duration_ms;
    expect(early).toBeGreaterThanOrEqual(1500);
    expect(early).toBeLessThan(7000);
    expect((long.log.path as Step[]).map((p) => [p.step, p.type, p.result])).toEqual([
      ['did', undefined, undefined], ['action', 'extension', 'NO_ANSWER'], ['action', 'voicemail', `message:${byCall.get(long.log.id)!.id}`],
    ]);
  });

  it('nothing is kept when the caller hangs up before the beep, or at once after it', async () => {
    h = await startController({ voicemail: true, webhooks: true });
    await configure(h);
    const early = await place(h, '918065978001', { steps: [key('2'), hangupDuring('playback', 0)] });
    expect(early.apps.some((a) => a.app === 'record')).toBe(false);
    expect(voicemailSteps(early.log.path)).toEqual([expect.objectContaining({ value: '1003', result: 'no_message' })]);

    const instant = await place(h, '918065978001', { steps: [key('2'), hangupDuring('record', 0)] });
    expect(instant.apps.some((a) => a.app === 'record')).toBe(true);
    expect(voicemailSteps(instant.log.path)).toEqual([expect.objectContaining({ result: 'no_message' })]);
    expect(instant.log.disposition).toBe('voicemail');

    expect((await h.req<Page>('GET', '/api/v1/voicemail')).total).toBe(0);
    expect(h.events.some((e) => e.type === 'voicemail.new')).toBe(false);
    const left = existsSync(voicemailDir(h)) ? readdirSync(voicemailDir(h)) : [];
    expect(left).toEqual([]);
  });
});

describe('voicemail without deps.voicemail (main.ts not wiring it)', () => {
  it('stores under the call recordings directory, greeting from the extension, beep, record', async () => {
    const recordings = resolve(process.env.TMPDIR ?? '/tmp', `sb-vm-rec-${process.pid}-${Date.now()}`);
    plain = await startController({ recordingsDir: recordings });
    await configure(plain);
    const call = plain.emu.placeCall({ destination: '918065978002', callerIdNumber: '09800000001', script: { steps: [hangupDuring('record', 60)], bridge: 'no-answer' } });
    const summary = await call.done;
    await plain.settle();
    const commands = call.recorder.commands();
    const apps = executes(commands);
    expect(apps.map((a) => a.app)).toEqual(['record_session', 'multiset', 'bridge', 'playback', 'playback', 'record']);
    // The caller (never answered by the failed bridge) is answered with `api uuid_answer` before the greeting.
    const answerAt = commands.indexOf(`api uuid_answer ${summary.uuid}`);
    expect(answerAt).toBeGreaterThan(commands.findIndex((c) => c.includes('execute-app-name: bridge')));
    expect(answerAt).toBeLessThan(commands.findIndex((c) => c.includes('execute-app-name: playback')));
    const page = await plain.req<Page>('GET', '/api/v1/voicemail');
    expect(page.total).toBe(1);
    const path = join(recordings, 'voicemail', plain.org.orgId, `${page.messages[0]!.id}.wav`);
    expect(apps[5]!.arg.startsWith(`${path} 120 `)).toBe(true);
    expect(decodeWav(readFileSync(path)).data.length).toBeGreaterThan(0);
    expect(await plain.callLog(summary.uuid)).toMatchObject({ disposition: 'voicemail', answeredBy: 'voicemail:1001' });
  });

  it('with no storage at all the caller hears "unavailable" and nothing is recorded', async () => {
    plain = await startController({ expectErrors: [/^voicemail has nowhere to store messages/] });
    await configure(plain);
    const call = plain.emu.placeCall({ destination: '918065978002', callerIdNumber: '09800000001', script: { bridge: 'no-answer' } });
    const summary = await call.done;
    await plain.settle();
    const apps = executes(call.recorder.commands());
    expect(apps.some((a) => a.app === 'record')).toBe(false);
    expect(apps.find((a) => a.app === 'playback')?.arg).toBe(PROMPTS.unavailable);
    expect(summary.hangupCause).toBe('NO_ANSWER');
    const log = await plain.callLog(summary.uuid);
    expect(voicemailSteps(log.path)).toEqual([expect.objectContaining({ result: 'no_message' })]);
  });
});
