import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCall } from '../../src/call/runner.ts';
import { fakeChannel, pressing, type FakeBehaviour } from '../helpers/fake-channel.ts';
import { testCallDeps } from '../helpers/call-deps.ts';
import { testIvr, testSnapshot } from '../helpers/snapshot.ts';
import type { ConfigSnapshot, SnapshotIvr } from '../../src/publish/snapshot.ts';
import type { CallSettings } from '../../src/call/session.ts';
import { VOICEMAIL_BEEP } from '../../src/call/actions/voicemail.ts';
import { PROMPTS } from '../../src/call/prompts.ts';

const DID = '+918065978001';
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function setup(
  ivrs: SnapshotIvr[],
  extra: Partial<ConfigSnapshot> = {},
  routing: { routingType: string; destination: string | null } = { routingType: 'ivr', destination: ivrs[0]?.id ?? null },
  settings: Partial<CallSettings> = {},
) {
  const snapshot = testSnapshot({ ivrs: Object.fromEntries(ivrs.map((i) => [i.id, i])), ...extra });
  const did = { number: DID, routingType: routing.routingType, destination: routing.destination } as ConfigSnapshot['dids'][string];
  const t = await testCallDeps({ [DID]: { snapshot, did } }, settings);
  cleanup = t.close;
  return t;
}

async function call(t: Awaited<ReturnType<typeof setup>>, behaviour: FakeBehaviour, destination = '918065978001') {
  const f = fakeChannel({ destination, behaviour });
  await runCall(f.channel, t.deps);
  const log = await t.adb.select().from(t.adb.t.callLogs);
  expect(log).toHaveLength(1);
  expect(t.deps.registry.size()).toBe(0);
  expect(f.released()).toBe(true);
  expect(f.listenerCount()).toBe(0);
  return { f, log: log[0]! };
}

const menu = (over: Partial<SnapshotIvr> = {}) =>
  testIvr('11111111-1111-4111-8111-111111111111', {
    options: {
      '1': { digit: '1', type: 'extension', value: '1001', description: 'Sales' },
      '2': { digit: '2', type: 'ivr', value: '22222222-2222-4222-8222-222222222222', description: 'Support' },
      '3': { digit: '3', type: 'play_prompt', value: 'tone_stream://%(100,0,500)', description: 'Hours' },
      '9': { digit: '9', type: 'callback', value: null, description: null },
      '*': { digit: '*', type: 'repeat', value: null, description: null },
      '0': { digit: '0', type: 'hangup', value: null, description: null },
    },
    ...over,
  });

/** What each play_and_get_digits round played: the greeting, or a retry prompt then the greeting. */
const rounds = (f: { steps: { app: string; arg: string | undefined }[] }) =>
  f.steps.filter((s) => s.app === 'play_and_get_digits').map((s) => s.arg!.split(' ')[5]);
const greetingOf = (ivr: SnapshotIvr) => ivr.greetingFile!;
const afterTimeout = (ivr: SnapshotIvr) => `file_string://${PROMPTS.timeout}!${ivr.greetingFile}`;
const afterInvalid = (ivr: SnapshotIvr) => `file_string://${PROMPTS.invalid}!${ivr.greetingFile}`;
/** The timeout/invalid/exhausted steps of a call's path, e.g. ['timeout:1', 'invalid:1', 'exhausted:timeout']. */
const failures = (path: unknown) =>
  (path as { step: string; count?: number; reason?: string }[])
    .filter((p) => p.step === 'timeout' || p.step === 'invalid' || p.step === 'exhausted')
    .map((p) => (p.step === 'exhausted' ? `exhausted:${p.reason}` : `${p.step}:${p.count}`));
const answered: FakeBehaviour = (app) => (app === 'bridge' ? { variables: { originate_disposition: 'SUCCESS' } } : undefined);

describe('IVR walker', () => {
  it('timeouts: plays the timeout prompt before each repeat, then goodbye and hangup', async () => {
    const t = await setup([menu()]);
    const { f, log } = await call(t, pressing(['', '', '']));
    const pagd = f.steps.filter((s) => s.app === 'play_and_get_digits');
    expect(pagd).toHaveLength(3);
    expect(pagd[0]!.arg).toContain('greeting_ivr_');
    expect(pagd[1]!.arg).toMatch(/^1 1 1 5000 none file_string:\/\/tone_stream/);
    expect(f.steps.at(-1)).toEqual({ app: 'hangup', arg: 'NORMAL_CLEARING' });
    expect(log.disposition).toBe('no_input');
    expect((log.path as { step: string }[]).filter((p) => p.step === 'timeout')).toHaveLength(3);
  });

  it('invalid then valid: invalid prompt, then the selected extension is bridged', async () => {
    const t = await setup([menu()]);
    const { f, log } = await call(t, pressing(['7', '1'], (app) => (app === 'bridge' ? { variables: { originate_disposition: 'SUCCESS' } } : undefined)));
    expect(f.apps()).toEqual(['answer', 'play_and_get_digits', 'play_and_get_digits', 'multiset', 'bridge', 'hangup']);
    expect(f.steps.find((s) => s.app === 'bridge')!.arg).toBe('{leg_timeout=20}user/1001@acme.sip.local');
    expect(log).toMatchObject({ disposition: 'connected', leftAt: 'talk', answeredBy: '1001', dtmf: '71' });
    expect((log.path as unknown[]).at(-1)).toMatchObject({ step: 'action', type: 'extension', value: '1001', result: 'answered' });
    expect(t.events.map((e) => e.type)).toEqual(['call.ringing', 'call.answered', 'call.dtmf', 'call.dtmf', 'ivr.selection', 'call.transferred', 'call.hangup']);
  });

  it('timeouts and invalid entries are counted separately: two of each do not end the menu, the third timeout does', async () => {
    // max_retries 3 bounds each count, not their sum (which would end the menu on the third failure).
    const ivr = menu({ maxRetries: 3, timeoutDestination: { type: 'extension', value: '1002' }, invalidDestination: { type: 'hangup', value: null } });
    const t = await setup([ivr]);
    const noAnswer: FakeBehaviour = (app) => (app === 'bridge' ? { variables: { originate_disposition: 'NO_ANSWER' } } : undefined);
    const { f, log } = await call(t, pressing(['', '7', '', '8', '', '1'], noAnswer));
    // Five rounds, each failure's own prompt before the next; the sixth input is never asked for.
    expect(rounds(f)).toEqual([greetingOf(ivr), afterTimeout(ivr), afterInvalid(ivr), afterTimeout(ivr), afterInvalid(ivr)]);
    expect(failures(log.path)).toEqual(['timeout:1', 'invalid:1', 'timeout:2', 'invalid:2', 'timeout:3', 'exhausted:timeout']);
    // The reason that ran out picks the destination: the timeout prompt, then the timeout destination.
    const tail = f.steps.slice(f.steps.findLastIndex((s) => s.app === 'play_and_get_digits') + 1);
    expect(tail.map((s) => s.app)).toEqual(['playback', 'multiset', 'bridge', 'playback', 'hangup']);
    expect(tail[0]!.arg).toBe(PROMPTS.timeout);
    expect(tail[2]!.arg).toBe('{leg_timeout=20}user/1002@acme.sip.local');
    // 1002 has no voicemail: "unavailable", and the outcome comes from the bridge's cause.
    expect(tail.slice(-2)).toEqual([{ app: 'playback', arg: PROMPTS.unavailable }, { app: 'hangup', arg: 'NO_ANSWER' }]);
    expect(log).toMatchObject({ disposition: 'no_answer', leftAt: 'prompt', answeredBy: null, dtmf: '78' });
    expect((log.path as unknown[]).at(-1)).toMatchObject({ step: 'action', type: 'extension', value: '1002', result: 'NO_ANSWER' });
  });

  it.each([
    {
      name: 'max 5, timeouts 3, invalids 2',
      limits: { maxRetries: 5, maxTimeouts: 3, maxInvalids: 2 },
      inputs: ['', '7', '', '7', '1'],
      trail: ['timeout:1', 'invalid:1', 'timeout:2', 'invalid:2', 'exhausted:invalid'],
      reason: 'invalid', bridged: '1002',
    },
    {
      name: 'max 2, timeouts 1, invalids 3',
      limits: { maxRetries: 2, maxTimeouts: 1, maxInvalids: 3 },
      inputs: ['7', '7', '', '1'],
      trail: ['invalid:1', 'invalid:2', 'timeout:1', 'exhausted:timeout'],
      reason: 'timeout', bridged: '1001',
    },
  ])('each count has its own limit when set ($name): the $reason limit ends the menu', async ({ limits, inputs, trail, bridged }) => {
    // Neither max_retries nor the other count decides: with the sum, or max_retries, the rounds would differ.
    const ivr = menu({ ...limits, timeoutDestination: { type: 'extension', value: '1001' }, invalidDestination: { type: 'extension', value: '1002' } });
    const t = await setup([ivr]);
    const { f, log } = await call(t, pressing(inputs, answered));
    expect(failures(log.path)).toEqual(trail);
    expect(rounds(f)).toHaveLength(inputs.length - 1);
    expect(f.steps.find((s) => s.app === 'bridge')!.arg).toBe(`{leg_timeout=20}user/${bridged}@acme.sip.local`);
    expect(log).toMatchObject({ disposition: 'connected', answeredBy: bridged });
  });

  it('busy extension with voicemail goes to voicemail: beep, record under the recordings directory', async () => {
    const recordings = mkdtempSync(join(tmpdir(), 'sb-walker-vm-'));
    try {
      const t = await setup([menu()], {}, undefined, { recordingsDir: recordings });
      // `record` leaves nothing (the caller said nothing): no message is kept.
      const vars: Record<string, Record<string, string>> = { bridge: { originate_disposition: 'USER_BUSY' }, record: { record_ms: '0' } };
      const { f, log } = await call(t, pressing(['1'], (app) => (vars[app] ? { variables: vars[app] } : undefined)));
      const tail = f.steps.slice(f.steps.findIndex((s) => s.app === 'bridge') + 1);
      // No greeting file without a renderer: the beep, then `record <dir>/voicemail/<org>/<id>.wav <max> 200 5`.
      expect(tail.map((s) => s.app)).toEqual(['playback', 'record', 'playback', 'hangup']);
      expect(tail[0]!.arg).toBe(VOICEMAIL_BEEP);
      expect(tail[1]!.arg).toMatch(new RegExp(`^${join(recordings, 'voicemail', 'org-1')}/[0-9a-f-]+\\.wav 120 200 5$`));
      expect(f.apps()).not.toContain('voicemail');
      expect(log).toMatchObject({ disposition: 'voicemail', leftAt: 'voicemail', answeredBy: 'voicemail:1001' });
      const steps = log.path as Array<{ type?: string; result?: string }>;
      expect(steps.slice(-2)).toMatchObject([{ type: 'extension', result: 'USER_BUSY' }, { type: 'voicemail', result: 'no_message' }]);
    } finally {
      rmSync(recordings, { recursive: true, force: true });
    }
  });

  it('voicemail with nowhere to store messages: "unavailable", then no_answer', async () => {
    const t = await setup([menu()]);
    const { f, log } = await call(t, pressing(['1'], (app) => (app === 'bridge' ? { variables: { originate_disposition: 'NO_ANSWER' } } : undefined)));
    expect(f.apps()).not.toContain('record');
    expect(f.steps.at(-1)).toEqual({ app: 'hangup', arg: 'NO_ANSWER' });
    expect(log).toMatchObject({ disposition: 'no_answer', leftAt: 'prompt' });
    expect((log.path as Array<{ type?: string; result?: string }>).at(-1)).toMatchObject({ type: 'voicemail', result: 'no_message' });
  });

  it('nested IVR; play_prompt and repeat return to the menu', async () => {
    const sub = testIvr('22222222-2222-4222-8222-222222222222', { options: { '0': { digit: '0', type: 'hangup', value: null, description: null } } });
    const t = await setup([menu(), sub]);
    const { f, log } = await call(t, pressing(['3', '*', '2', '0']));
    expect(f.apps()).toEqual(['answer', 'play_and_get_digits', 'playback', 'play_and_get_digits', 'play_and_get_digits', 'play_and_get_digits', 'hangup']);
    const ivrs = (log.path as { step: string; ivrId?: string }[]).filter((p) => p.step === 'ivr').map((p) => p.ivrId);
    expect(ivrs).toEqual([menu().id, sub.id]);
  });

  it('repeat does not count as a retry: after two repeats, one timeout and one invalid entry still get the menu again', async () => {
    // max_retries 2: the menu ends on a second timeout or a second invalid entry. Had either repeat counted
    // towards the timeouts, the invalid entries or both, the timeout or the invalid entry below would be a
    // second one and end the menu (goodbye, no bridge) instead of letting the caller choose 1.
    const ivr = menu({ maxRetries: 2 });
    const t = await setup([ivr]);
    const { f, log } = await call(t, pressing(['*', '*', '', '7', '1'], answered));
    expect(rounds(f)).toEqual([greetingOf(ivr), greetingOf(ivr), greetingOf(ivr), afterTimeout(ivr), afterInvalid(ivr)]);
    expect(failures(log.path)).toEqual(['timeout:1', 'invalid:1']);
    expect((log.path as { type?: string }[]).filter((p) => p.type === 'repeat')).toHaveLength(2);
    expect(f.steps.find((s) => s.app === 'bridge')!.arg).toBe('{leg_timeout=20}user/1001@acme.sip.local');
    expect(log).toMatchObject({ disposition: 'connected', answeredBy: '1001', dtmf: '**71' });
  });

  it('a menu that transfers into itself ends after the loop limit', async () => {
    const self = testIvr('33333333-3333-4333-8333-333333333333');
    self.options['1'] = { digit: '1', type: 'ivr', value: self.id, description: null };
    const t = await setup([self]);
    const { log } = await call(t, pressing(Array(50).fill('1')));
    expect((log.path as { step: string }[]).filter((p) => p.step === 'ivr')).toHaveLength(10);
    expect((log.path as { step: string }[]).at(-1)).toMatchObject({ step: 'loop_limit', ivrId: self.id });
    expect(log).toMatchObject({ disposition: 'failed', leftAt: 'prompt' });
  });

  it('direct dial honours the allow list', async () => {
    const t = await setup([menu({ directDial: { policy: 'allow_list', list: ['1002'] } })]);
    const bridged: FakeBehaviour = (app) => (app === 'bridge' ? { variables: { originate_disposition: 'SUCCESS' } } : undefined);
    const { f } = await call(t, pressing(['1001', '1002'], bridged));
    const pagd = f.steps.find((s) => s.app === 'play_and_get_digits')!;
    expect(pagd.arg).toMatch(/^1 4 1 5000 # /);
    expect(f.steps.find((s) => s.app === 'bridge')!.arg).toContain('user/1002@');
  });

  it('callback records a request for the org', async () => {
    const t = await setup([menu()]);
    await call(t, pressing(['9']));
    const rows = await t.adb.select().from(t.adb.t.callbackRequests);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ orgId: 'org-1', did: DID, callerNumber: '+919800000001' });
  });

  it('caller hangs up during the greeting: the call log is still finished', async () => {
    const t = await setup([menu()]);
    const { log } = await call(t, pressing([]));
    expect(log.endedAt).not.toBeNull();
    expect(log).toMatchObject({ disposition: 'abandoned', leftAt: 'greeting' });
    expect(t.events.at(-1)).toMatchObject({ type: 'call.hangup', disposition: 'abandoned', leftAt: 'greeting' });
  });

  it('unknown DID: SIT tone and UNALLOCATED_NUMBER', async () => {
    const t = await setup([menu()]);
    const { f, log } = await call(t, () => undefined, '4000');
    expect(f.apps()).toEqual(['pre_answer', 'playback', 'hangup']);
    expect(f.steps.at(-1)!.arg).toBe('UNALLOCATED_NUMBER');
    expect(log.disposition).toBe('unallocated');
  });

  it('DID routed straight to an extension, and to an external number with the DID as caller id', async () => {
    const t = await setup([], {}, { routingType: 'external', destination: '+919944421125' });
    const { f } = await call(t, (app) => (app === 'bridge' ? { variables: { originate_disposition: 'SUCCESS' } } : undefined));
    expect(f.steps.find((s) => s.app === 'bridge')!.arg).toBe(
      '{leg_timeout=20,origination_caller_id_number=918065978001,effective_caller_id_number=918065978001}sofia/gateway/pstn/919944421125',
    );
  });

  it('ai_agent without a bridge: apology, then hangup (never dead air)', async () => {
    const t = await setup([], {}, { routingType: 'ai_agent', destination: 'wss://bot.example/ws' });
    const { f, log } = await call(t, () => undefined);
    expect(f.apps()).toEqual(['answer', 'playback', 'hangup']);
    expect(log).toMatchObject({ disposition: 'bot_failed', leftAt: 'prompt' });
  });
});
