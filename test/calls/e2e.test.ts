/**
 * End to end without FreeSWITCH: configure through the API, publish, then let the emulator
 * (real ESL bytes) play callers against the controller.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startController, type ControllerHarness, type ControllerOptions } from '../helpers/controller.ts';
import { TRANSCRIPT_DIR, requireTranscriptsInCi, skipWithoutTranscripts } from '../esl/transcripts.ts';
import type { EmulatedCall } from '../emulator/index.ts';
import { VOICEMAIL_BEEP } from '../../src/call/actions/voicemail.ts';
import { PROMPTS } from '../../src/call/prompts.ts';
import { and, eq } from 'drizzle-orm';

const DID = '+918065978001';
let h: ControllerHarness;
let mainIvr: string;

beforeEach(async () => {
  await start();
});
afterEach(async () => {
  await h.close();
});

/** The controller (API, database, emulator) with the org's extensions, queue, menus and DID, published. */
async function start(options: ControllerOptions = {}) {
  h = await startController(options);
  await h.req('POST', '/api/v1/extensions', { number: '1001', name: 'Asha', voicemail_enabled: true });
  await h.req('POST', '/api/v1/extensions', { number: '1002', name: 'Ravi', voicemail_enabled: false });
  await h.req('POST', '/api/v1/queues', { number: '5001', name: 'Sales', agents: [{ extension: '1001' }] });
  const sub = await h.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Support', extension: '7002', timeout: 1, max_retries: 2 });
  await h.req('PUT', `/api/v1/ivrs/${sub.id}/menu`, { options: [{ digit: '1', action_type: 'external', action_destination: '+919944421125' }] });
  const main = await h.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Main', extension: '7001', timeout: 1, max_retries: 2 });
  mainIvr = main.id;
  await h.req('PUT', `/api/v1/ivrs/${main.id}/menu`, {
    options: [
      { digit: '1', action_type: 'extension', action_destination: '1001' },
      { digit: '2', action_type: 'queue', action_destination: '5001' },
      { digit: '3', action_type: 'ivr', action_destination: sub.id },
      { digit: '4', action_type: 'extension', action_destination: '1002' },
      { digit: '0', action_type: 'hangup', action_destination: null },
    ],
  });
  await h.req('POST', `/api/v1/ivrs/${main.id}/generate-greeting`, { text: 'Welcome to Acme. Press 1 for sales.' });
  const did = await h.req<{ id: string }>('POST', '/api/v1/dids', { number: DID, assign: true });
  await h.req('PUT', `/api/v1/dids/${did.id}`, { routing_type: 'ivr', routing_destination: main.id });
  await h.req('POST', `/api/v1/ivrs/${main.id}/publish`);
}

const dtmf = (digits: string, nth = 1, afterMs = 5) => ({ when: { onApp: 'play_and_get_digits', nth, afterMs }, do: { kind: 'dtmf' as const, digits } });
type Step = { step: string; type?: string; value?: string | null; result?: string };
const lastStep = (log: { path: unknown }) => (log.path as Step[]).at(-1);

/**
 * The caller hangs up when the controller's `api uuid_answer` reaches the switch: `before` it is read
 * (the answer fails with -ERR), or just `after` it was (answered; the prompt queued behind it never runs).
 * The answer is an api, not an app, so the script's onApp triggers cannot see it.
 */
function hangUpAtAnswer(call: EmulatedCall, when: 'before' | 'after', cause = 'ORIGINATOR_CANCEL'): void {
  const record = call.recorder.record.bind(call.recorder);
  let done = false;
  call.recorder.record = (dir, data) => {
    record(dir, data);
    if (done || dir !== 'out' || !data.includes('api uuid_answer ')) return;
    done = true;
    if (when === 'before') call.hangup(cause);
    else setImmediate(() => call.hangup(cause));
  };
}

/** The inbound chunk (one frame each) index of the first event matching, and the event's headers. */
function eventChunk(call: EmulatedCall, name: string, app?: string): number {
  return call.recorder.chunks.findIndex((c) => {
    if (c.dir !== 'in') return false;
    const text = c.data.toString('utf8');
    return text.includes(`\nEvent-Name: ${name}\n`) && (app === undefined || text.includes(`\nApplication: ${app}\n`));
  });
}

describe('calls through the controller', () => {
  it('key 1 bridges to the extension; the talk ends inside the bridge (hangup_after_bridge): connected, answered by 1001, left at talk', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '09800000001', script: { steps: [dtmf('1')], bridge: 'answer', bridgeTalkMs: 80 } });
    const summary = await call.done;
    await h.settle();
    const cmds = call.recorder.commands();
    const bridgeAt = cmds.findIndex((c) => c.includes('execute-app-name: bridge') && c.includes('user/1001@'));
    expect(bridgeAt).toBeGreaterThan(0);
    // As on the real switch: hangup_after_bridge hung the caller up inside the bridge, so the bridge's
    // reply is followed by the linger notice before the reply of the getvar sent with it; the controller
    // then read the channel data (`connect`) for the outcome and the cause. No event reached the socket.
    const frames = call.recorder.frames();
    expect(frames.some((f) => f.kind === 'event')).toBe(false);
    const bridgeCmd = cmds[bridgeAt]!;
    expect(cmds[bridgeAt + 1]).toBe('getvar originate_disposition');
    expect(bridgeCmd).not.toContain('Event-UUID');
    expect(cmds.slice(bridgeAt + 1)).toContain('connect');
    const notice = frames.findIndex((f) => f.kind === 'disconnect-notice' && f.disposition === 'linger');
    const dataAfter = frames.findIndex((f, i) => i > notice && f.kind === 'command-reply' && f.headers['Answer-State'] === 'hangup');
    expect(notice).toBeGreaterThan(0);
    expect(dataAfter).toBeGreaterThan(notice);
    // The controller hung nothing up itself: the far end's hangup ended the call.
    expect(cmds.slice(bridgeAt + 1).some((c) => c.includes('call-command: hangup') || c.startsWith('api uuid_kill'))).toBe(false);
    expect(summary.hangupCause).toBe('NORMAL_CLEARING');
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ did: DID, caller: '+919800000001', disposition: 'connected', leftAt: 'talk', answeredBy: '1001', dtmf: '1', hangupCause: 'NORMAL_CLEARING' });
    expect(lastStep(log)).toEqual({ at: expect.any(String), step: 'action', type: 'extension', value: '1001', result: 'answered' });
    expect(log.answeredAt).not.toBeNull();
    expect(log.endedAt).not.toBeNull();
    expect(h.events.map((e) => e.type)).toEqual(['call.ringing', 'call.answered', 'call.dtmf', 'ivr.selection', 'call.transferred', 'call.hangup']);
    expect(h.events.at(-1)).toMatchObject({ type: 'call.hangup', cause: 'NORMAL_CLEARING', disposition: 'connected', leftAt: 'talk' });
  });

  it('readies the call in one round trip: connect and linger in one write; no event asked for; the answer, the first prompt and the read of its digits in the next', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [dtmf('0')] } });
    const summary = await call.done;
    await h.settle();
    const cmds = call.recorder.commands();
    const writes = call.recorder.chunks.filter((c) => c.dir === 'out').map((c) => c.data.toString('utf8'));
    expect(writes[0]).toBe('connect\n\nlinger 30\n\n');
    // A sync socket asks for no events (docs/esl.md, fact 22): no filter, no subscription, no myevents.
    expect(cmds.filter((c) => c.startsWith('filter') || c.startsWith('event ') || c === 'myevents')).toEqual([]);
    // The second write: the answer, the first prompt, and the read of the digits it collects.
    expect(writes[1]!.startsWith(`api uuid_answer ${summary.uuid}\n\n`)).toBe(true);
    expect(writes[1]).toContain('execute-app-name: play_and_get_digits');
    expect(writes[1]!.endsWith('getvar sb_digits\n\n')).toBe(true);
    // No event came from the switch: the key pressed reached the IVR through getvar.
    expect(call.recorder.frames().filter((f) => f.kind === 'event')).toEqual([]);
    expect(cmds.at(-1)).toBe('exit');
  });

  it('the answer (api uuid_answer) and the first prompt leave in one write; FreeSWITCH runs them in order', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [dtmf('0')] } });
    const summary = await call.done;
    await h.settle();
    const cmds = call.recorder.commands();
    // Answered on the call's socket with an api, never with the `answer` app.
    expect(cmds.filter((c) => c.startsWith('api uuid_answer'))).toEqual([`api uuid_answer ${summary.uuid}`]);
    expect(cmds.some((c) => c.includes('execute-app-name: answer'))).toBe(false);
    const writes = call.recorder.chunks.filter((c) => c.dir === 'out').map((c) => c.data.toString('utf8'));
    const first = writes.find((w) => w.includes('api uuid_answer'))!;
    expect(first).toContain('execute-app-name: play_and_get_digits');
    expect(first.indexOf(`api uuid_answer ${summary.uuid}\n\n`)).toBeLessThan(first.indexOf('execute-app-name: play_and_get_digits'));
    // What the switch did: the answer's +OK came before the prompt's reply (its end) and the digits read
    // after it, and the call log says answered.
    const sig = call.recorder.frames().flatMap((f) =>
      f.kind === 'command-reply' ? [`reply ${f.replyText.trim()}`] : f.kind === 'api-response' ? [`api ${f.body.trim()}`] : []);
    const answerAt = sig.indexOf('api +OK');
    expect(answerAt).toBeGreaterThanOrEqual(0);
    expect(sig.slice(answerAt + 1, answerAt + 3)).toEqual(['reply +OK', 'reply 0']);
    expect(h.events.map((e) => e.type).slice(0, 3)).toEqual(['call.ringing', 'call.answered', 'call.dtmf']);
    expect((await h.callLog(summary.uuid)).answeredAt).not.toBeNull();
  });

  it('a caller gone before the pipelined answer: uuid_answer fails, the queued prompt is not waited for, the log says abandoned', async () => {
    const t0 = Date.now();
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001' });
    hangUpAtAnswer(call, 'before');
    const summary = await call.done;
    await h.settle();
    // The prompt's command timeout is minutes: nothing waited for its EXECUTE_COMPLETE.
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(call.recorder.frames().some((f) => f.kind === 'api-response' && f.body.startsWith('-ERR'))).toBe(true);
    expect(call.channel.appRuns('play_and_get_digits')).toBe(0);
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'abandoned', leftAt: 'greeting', hangupCause: 'ORIGINATOR_CANCEL', answeredAt: null });
    expect(log.endedAt).not.toBeNull();
    expect(h.events.map((e) => e.type)).toEqual(['call.ringing', 'call.hangup']);
    expect(h.registry.size()).toBe(0);
  });

  it('a caller gone just after the pipelined answer: the queued prompt is cut short and not waited for, the log says abandoned', async () => {
    const t0 = Date.now();
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001' });
    hangUpAtAnswer(call, 'after');
    const summary = await call.done;
    await h.settle();
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(call.recorder.frames().some((f) => f.kind === 'api-response' && f.body.startsWith('+OK'))).toBe(true);
    // The queued prompt may start; the hangup ends it at once, and its end is the hangup.
    expect(call.channel.appRuns('play_and_get_digits')).toBeLessThanOrEqual(1);
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'abandoned', leftAt: 'greeting', hangupCause: 'ORIGINATOR_CANCEL' });
    expect(log.answeredAt).not.toBeNull();
    expect(h.events.map((e) => e.type)).toEqual(['call.ringing', 'call.answered', 'call.hangup']);
  });

  it('the caller hangs up during the greeting: abandoned, left at greeting', async () => {
    const call = h.emu.placeCall({
      destination: '918065978001',
      callerIdNumber: '9800000001',
      script: { steps: [{ when: { onApp: 'play_and_get_digits', afterMs: 5 }, do: { kind: 'hangup' } }] },
    });
    const summary = await call.done;
    await h.settle();
    expect(summary.hangupCause).toBe('NORMAL_CLEARING');
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'abandoned', leftAt: 'greeting', answeredBy: null, dtmf: '', hangupCause: 'NORMAL_CLEARING' });
    expect(log.answeredAt).not.toBeNull();
    expect((log.path as Step[]).map((p) => p.step)).toEqual(['did', 'ivr']);
    expect(h.events.at(-1)).toMatchObject({ type: 'call.hangup', disposition: 'abandoned', leftAt: 'greeting' });
  });

  it('no input: timeout prompt, then goodbye and NORMAL_CLEARING after max_retries', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001' });
    const summary = await call.done;
    await h.settle();
    expect(summary.hangupCause).toBe('NORMAL_CLEARING');
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'no_input', leftAt: 'prompt' });
    expect((log.path as { step: string }[]).map((p) => p.step)).toEqual(['did', 'ivr', 'timeout', 'timeout', 'exhausted']);
  });

  it('no input: on the sync socket the last prompt and the hangup leave in one write; the hangup is ours, nothing read back', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001' });
    const summary = await call.done;
    await h.settle();
    expect(summary.hangupCause).toBe('NORMAL_CLEARING');
    const writes = call.recorder.chunks.filter((c) => c.dir === 'out').map((c) => c.data.toString('utf8'));
    const last = writes.find((w) => w.includes('call-command: hangup'));
    expect(last).toContain('execute-app-name: playback');
    expect(last!.indexOf('execute-app-name: playback')).toBeLessThan(last!.indexOf('call-command: hangup'));
    expect(call.recorder.commands().map((c) => c.split('\n')[0]!).filter((c) => c === 'connect')).toHaveLength(1);
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'no_input', leftAt: 'prompt', hangupCause: 'NORMAL_CLEARING' });
  });

  it('no input, the caller hangs up during the last prompt: the hangup sent with it finds the channel down; the cause is the caller\'s', async () => {
    const call = h.emu.placeCall({
      destination: '918065978001',
      callerIdNumber: '9800000001',
      script: { steps: [{ when: { onApp: 'playback', afterMs: 5 }, do: { kind: 'hangup', cause: 'ORIGINATOR_CANCEL' } }] },
    });
    const summary = await call.done;
    await h.settle();
    expect(summary.hangupCause).toBe('ORIGINATOR_CANCEL');
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'no_input', leftAt: 'prompt', hangupCause: 'ORIGINATOR_CANCEL' });
    expect((log.path as { step: string }[]).map((p) => p.step)).toEqual(['did', 'ivr', 'timeout', 'timeout', 'exhausted']);
  });

  it('invalid key then a valid one: invalid prompt, then the queue; the caller hangs up while waiting: abandoned, left at queue', async () => {
    const call = h.emu.placeCall({
      destination: '918065978001',
      callerIdNumber: '9800000001',
      script: { steps: [dtmf('9'), dtmf('2', 2), { when: { onApp: 'callcenter', afterMs: 30 }, do: { kind: 'hangup' } }] },
    });
    const summary = await call.done;
    await h.settle();
    const cmds = call.recorder.commands();
    // No callcenter::info subscription: the callcenter app's own completion (or the hangup) is enough.
    expect(cmds.some((c) => c.includes('CUSTOM') || c.includes('callcenter::info'))).toBe(false);
    expect(cmds.some((c) => c.includes('execute-app-name: callcenter') && c.includes('5001@'))).toBe(true);
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'abandoned', leftAt: 'queue', answeredBy: null, dtmf: '92' });
    expect(lastStep(log)).toMatchObject({ step: 'action', type: 'queue', value: '5001', result: 'caller_hangup' });
    expect(h.events.at(-1)).toMatchObject({ type: 'call.hangup', disposition: 'abandoned', leftAt: 'queue' });
  });

  it('busy extension without voicemail: unavailable tone, then USER_BUSY', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [dtmf('4')], bridge: 'busy' } });
    const summary = await call.done;
    await h.settle();
    expect(summary.hangupCause).toBe('USER_BUSY');
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'busy', leftAt: 'prompt', answeredBy: null });
    expect(lastStep(log)).toMatchObject({ step: 'action', type: 'extension', value: '1002', result: 'USER_BUSY' });
    expect(call.recorder.commands().filter((c) => c.includes('execute-app-name: playback')).at(-1)).toContain(`execute-app-arg: ${PROMPTS.unavailable}`);
  });

  it('no answer at an extension with voicemail goes to our voicemail: beep, record, message kept', async () => {
    const recordings = mkdtempSync(join(tmpdir(), 'sb-e2e-vm-'));
    try {
      await h.close();
      await start({ recordingsDir: recordings });
      const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [dtmf('1')], bridge: 'no-answer', recordTalkMs: 1500 } });
      const summary = await call.done;
      await h.settle();
      const cmds = call.recorder.commands();
      expect(cmds.some((c) => c.includes('execute-app-name: voicemail'))).toBe(false);
      const apps = cmds.filter((c) => c.includes('call-command: execute')).map((c) => [/execute-app-name: (.*)/.exec(c)?.[1], /execute-app-arg: (.*)/.exec(c)?.[1]]);
      const tail = apps.slice(apps.findIndex(([app]) => app === 'bridge') + 1);
      // The box's greeting (rendered when the extension was saved), the beep, the message, goodbye.
      const { extensions } = h.api.deps.adb.t;
      const [box] = await h.api.deps.adb.select().from(extensions).where(and(eq(extensions.orgId, h.org.orgId), eq(extensions.number, '1001')));
      expect(box!.voicemailGreetingFile).toBeTruthy();
      expect(tail.map(([app]) => app)).toEqual(['playback', 'playback', 'record', 'playback']);
      expect(tail[0]![1]).toBe(box!.voicemailGreetingFile);
      expect(tail[1]![1]).toBe(VOICEMAIL_BEEP);
      expect(tail[3]![1]).toBe(PROMPTS.goodbye);
      const messages = await h.req<{ messages: Array<{ id: string; extension: string; call_log_id: string }> }>('GET', '/api/v1/voicemail');
      expect(messages.messages).toHaveLength(1);
      const m = messages.messages[0]!;
      expect(tail[2]![1]).toBe(`${join(recordings, 'voicemail', h.org.orgId, `${m.id}.wav`)} 120 200 5`);
      const log = await h.callLog(summary.uuid);
      expect(m).toMatchObject({ extension: '1001', call_log_id: log.id });
      expect(log).toMatchObject({ disposition: 'voicemail', leftAt: 'voicemail', answeredBy: 'voicemail:1001' });
      expect((log.path as Step[]).slice(-2)).toMatchObject([
        { type: 'extension', value: '1001', result: 'NO_ANSWER' },
        { type: 'voicemail', value: '1001', result: `message:${m.id}` },
      ]);
    } finally {
      rmSync(recordings, { recursive: true, force: true });
    }
  });

  it('nested IVR to an external number through the gateway with the DID as caller id', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [dtmf('3'), dtmf('1', 2)] } });
    const summary = await call.done;
    await h.settle();
    const bridge = call.recorder.commands().find((c) => c.includes('execute-app-name: bridge'))!;
    expect(bridge).toContain('sofia/gateway/pstn/919944421125');
    expect(bridge).toContain('origination_caller_id_number=918065978001');
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'connected', leftAt: 'talk', answeredBy: '+919944421125' });
    expect(lastStep(log)).toMatchObject({ step: 'action', type: 'external', value: '+919944421125', result: 'answered' });
  });

  it('hangup at each step leaves a finished call log and nothing behind', async () => {
    const cases = [
      { at: 'answer', leftAt: 'greeting' },
      { at: 'play_and_get_digits', leftAt: 'greeting' },
      { at: 'bridge', leftAt: 'ringing' },
    ];
    for (const { at, leftAt } of cases) {
      const hangup = { when: { onApp: at, afterMs: 1 }, do: { kind: 'hangup' as const } };
      const call = h.emu.placeCall({
        destination: '918065978001',
        callerIdNumber: '9800000001',
        script: { steps: at === 'answer' ? [dtmf('1')] : [dtmf('1'), hangup], bridgeRingMs: 200 },
      });
      if (at === 'answer') hangUpAtAnswer(call, 'after', 'NORMAL_CLEARING');
      const summary = await call.done;
      await h.settle();
      const log = await h.callLog(summary.uuid);
      expect(log.endedAt, at).not.toBeNull();
      expect(log.hangupCause, at).toBe('NORMAL_CLEARING');
      expect(log, at).toMatchObject({ disposition: 'abandoned', leftAt, answeredBy: null });
      if (at === 'bridge') expect(lastStep(log)).toMatchObject({ step: 'action', type: 'extension', value: '1001', result: 'caller_hangup' });
    }
  });

  it('FreeSWITCH dropping the socket mid-call (no hangup ever seen) still finishes the call log: failed, SWITCH_LOST, where it was', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [{ when: { onApp: 'play_and_get_digits', afterMs: 5 }, do: { kind: 'drop' } }] } });
    const summary = await call.done;
    await h.settle();
    const log = await h.callLog(summary.uuid);
    expect(log.endedAt).not.toBeNull();
    // Not "abandoned": the caller did not hang up, the switch (or the link to it) went away.
    expect(log).toMatchObject({ disposition: 'failed', hangupCause: 'SWITCH_LOST', leftAt: 'greeting' });
  });

  it('a malformed frame drops that call only', async () => {
    const bad = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '1', script: { steps: [{ when: { onApp: 'play_and_get_digits', afterMs: 5 }, do: { kind: 'malformed', variant: 'bad-content-length' } }] } });
    const good = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '2', script: { steps: [dtmf('0')] } });
    const [b, g] = await Promise.all([bad.done, good.done]);
    await h.settle();
    expect((await h.callLog(b.uuid)).endedAt).not.toBeNull();
    expect((await h.callLog(g.uuid)).disposition).toBe('ended_by_ivr');
  });

  it('an unknown DID hears "not in service" and gets UNALLOCATED_NUMBER', async () => {
    const call = h.emu.placeCall({ destination: '918000000000', callerIdNumber: '9800000001' });
    const summary = await call.done;
    await h.settle();
    expect(summary.hangupCause).toBe('UNALLOCATED_NUMBER');
    expect((await h.callLog(summary.uuid)).disposition).toBe('unallocated');
  });

  it('a publish during a call does not change that call', async () => {
    const call = h.emu.placeCall({
      destination: '918065978001',
      callerIdNumber: '9800000001',
      script: { steps: [dtmf('1', 1, 150)], bridge: 'answer' },
    });
    // While the greeting plays: repoint key 1 and publish.
    await call.executed('play_and_get_digits');
    await h.req('PUT', `/api/v1/ivrs/${mainIvr}/menu`, { options: [{ digit: '1', action_type: 'hangup', action_destination: null }] });
    await h.req('POST', `/api/v1/ivrs/${mainIvr}/publish`);
    const summary = await call.done;
    await h.settle();
    expect(await h.callLog(summary.uuid)).toMatchObject({ disposition: 'connected', answeredBy: '1001' });
  });

  it.skipIf(skipWithoutTranscripts)('FreeSWITCH → controller bytes for a simple IVR call are at most half of what the transcript shows', async () => {
    requireTranscriptsInCi('transcript byte comparison');
    // Same caller behaviour as the transcript call-c (invalid 9, then 4, then hangup).
    const transcript = readFileSync(resolve(TRANSCRIPT_DIR, 'call-c_invalid9_then4-ivr-003-f9aac4a0.jsonl'), 'utf8')
      .split('\n').filter(Boolean).map((l) => JSON.parse(l) as { dir: string; len: number })
      .filter((c) => c.dir === 'in').reduce((n, c) => n + c.len, 0);
    await h.req('PUT', `/api/v1/ivrs/${mainIvr}/menu`, { options: [{ digit: '4', action_type: 'hangup', action_destination: null }] });
    await h.req('POST', `/api/v1/ivrs/${mainIvr}/publish`);
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [dtmf('9'), dtmf('4', 2)] } });
    await call.done;
    await h.settle();
    const ours = call.recorder.bytes('in').length;
    expect(ours).toBeLessThanOrEqual(transcript / 2);
  });
});

describe('DID routing types', () => {
  async function routeDid(type: string, destination: string | null) {
    const dids = await h.req<{ id: string; number: string }[]>('GET', '/api/v1/dids');
    await h.req('PUT', `/api/v1/dids/${dids[0]!.id}`, { routing_type: type, routing_destination: destination });
  }

  it('extension: bridged straight away, no IVR; the caller is answered by the bridge, answered_at from it', async () => {
    await routeDid('extension', '1002');
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { bridge: 'answer', bridgeRingMs: 60 } });
    const summary = await call.done;
    await h.settle();
    const cmds = call.recorder.commands();
    expect(cmds.some((c) => c.includes('play_and_get_digits'))).toBe(false);
    expect(cmds.some((c) => c.includes('user/1002@acme.sip.local'))).toBe(true);
    // We never answered the caller: the far end's answer did (the bridge).
    expect(cmds.some((c) => c.startsWith('api uuid_answer') || c.includes('execute-app-name: answer'))).toBe(false);
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'connected', leftAt: 'talk', answeredBy: '1002' });
    expect(lastStep(log)).toMatchObject({ step: 'action', type: 'extension', value: '1002', result: 'answered' });
    expect(call.model.answeredUs).toBeGreaterThan(0);
    expect(log.answeredAt).toBe(new Date(Math.floor(call.model.answeredUs / 1000)).toISOString());
    expect(Date.parse(log.answeredAt!) - Date.parse(log.startedAt)).toBeGreaterThanOrEqual(50);
  });

  it('queue: callcenter with the org-qualified queue name; no agent within the wait: queue_timeout', async () => {
    await routeDid('queue', '5001');
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { callcenterTimeoutMs: 30 } });
    const summary = await call.done;
    await h.settle();
    const cmds = call.recorder.commands();
    expect(cmds.some((c) => c.includes('execute-app-name: callcenter') && c.includes('execute-app-arg: 5001@acme.sip.local'))).toBe(true);
    expect(cmds.filter((c) => c.includes('execute-app-name: playback')).at(-1)).toContain(`execute-app-arg: ${PROMPTS.goodbye}`);
    expect(summary.hangupCause).toBe('NORMAL_CLEARING');
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'queue_timeout', leftAt: 'prompt', answeredBy: null });
    expect(lastStep(log)).toMatchObject({ step: 'action', type: 'queue', value: '5001', result: 'timeout' });
  });

  it('queue: an agent answers; mod_callcenter bridges, the controller sends nothing until the hangup; connected to the agent', async () => {
    await routeDid('queue', '5001');
    const talkMs = 400;
    // One async socket throughout (a sync one gets `exit` once the agent answers: test/calls/static-socket.test.ts).
    const call = h.emu.placeCall({
      destination: '918065978001', callerIdNumber: '9800000001', socketMode: 'async',
      script: { callcenterAgent: { extension: '1001', answerAfterMs: 40, talkMs } },
    });
    const summary = await call.done;
    await h.settle();
    const chunks = call.recorder.chunks;
    const completeAt = eventChunk(call, 'CHANNEL_EXECUTE_COMPLETE', 'callcenter');
    const hangupAt = eventChunk(call, 'CHANNEL_HANGUP');
    expect(completeAt).toBeGreaterThan(0);
    expect(hangupAt).toBeGreaterThan(completeAt);
    // Not a byte from the controller between the callcenter's completion and the hangup.
    expect(chunks.slice(completeAt + 1, hangupAt).filter((c) => c.dir === 'out').map((c) => c.data.toString('utf8'))).toEqual([]);
    // The talk lasted the agent's talkMs: nobody cut it short.
    const talk = chunks[hangupAt]!.atMs - chunks[completeAt]!.atMs;
    expect(talk).toBeGreaterThanOrEqual(talkMs - 5);
    expect(talk).toBeLessThan(talkMs + 500);
    expect(summary.hangupCause).toBe('NORMAL_CLEARING');
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'connected', leftAt: 'talk', answeredBy: '1001', hangupCause: 'NORMAL_CLEARING' });
    expect(lastStep(log)).toMatchObject({ step: 'action', type: 'queue', value: '5001', result: 'agent:1001' });
    expect(Date.parse(log.endedAt!) - Date.parse(log.answeredAt!)).toBeGreaterThanOrEqual(talkMs);
    expect(h.events.map((e) => e.type)).toEqual(['call.ringing', 'call.answered', 'call.transferred', 'call.bridged', 'call.hangup']);
    expect(h.events.at(-1)).toMatchObject({ disposition: 'connected', leftAt: 'talk' });
  });

  it('intercom: the extension is rung with auto-answer', async () => {
    await routeDid('intercom', '1001');
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { bridge: 'answer' } });
    await call.done;
    await h.settle();
    const bridge = call.recorder.commands().find((c) => c.includes('execute-app-name: bridge'))!;
    expect(bridge).toContain('sip_auto_answer=true');
    expect(bridge).toContain('user/1001@acme.sip.local');
  });

  it('the number dialled on entry (switchboard_did) wins over the current destination, e.g. after re-entry', async () => {
    const call = h.emu.placeCall({ destination: 'socket_reentry', callerIdNumber: '9800000001', variables: { switchboard_did: '918065978001' }, script: { steps: [dtmf('0')] } });
    const summary = await call.done;
    await h.settle();
    expect(await h.callLog(summary.uuid)).toMatchObject({ did: DID, disposition: 'ended_by_ivr' });
    expect(lastStep(await h.callLog(summary.uuid))).toMatchObject({ step: 'action', type: 'hangup' });
  });

  it('on the sync socket every command is as short as FreeSWITCH reads it: no event-lock, the menu\'s long argument as a body, hangup without its default cause', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [dtmf('0')] } });
    await call.done;
    const raw = call.recorder.bytes('out').toString('utf8');
    expect(raw).not.toContain('event-lock');
    expect(raw).not.toContain('hangup-cause: NORMAL_CLEARING');
    // No Event-UUID either: on the sync socket the reply is the app's end, and no event is asked for.
    expect(raw).not.toContain('Event-UUID');
    expect(raw).toMatch(/execute-app-name: play_and_get_digits\ncontent-type: text\/plain\ncontent-length: \d+\n\n1 /);
    // The recorder shows the body as the argument FreeSWITCH runs.
    expect(call.recorder.commands().find((c) => c.includes('execute-app-name: play_and_get_digits'))).toMatch(/execute-app-arg: 1 \d/);
  });
});
