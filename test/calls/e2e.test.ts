/**
 * End to end without FreeSWITCH: configure through the API, publish, then let the emulator
 * (real ESL bytes) play callers against the controller.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startController, type ControllerHarness } from '../helpers/controller.ts';
import { TRANSCRIPT_DIR, haveTranscripts } from '../esl/transcripts.ts';

const DID = '+918065978001';
let h: ControllerHarness;
let mainIvr: string;

beforeEach(async () => {
  h = await startController();
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
});
afterEach(async () => {
  await h.close();
});

const dtmf = (digits: string, nth = 1, afterMs = 5) => ({ when: { onApp: 'play_and_get_digits', nth, afterMs }, do: { kind: 'dtmf' as const, digits } });

describe('calls through the controller', () => {
  it('key 1 bridges to the extension; the call log says who answered', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '09800000001', script: { steps: [dtmf('1')], bridge: 'answer' } });
    const summary = await call.done;
    await h.settle();
    const cmds = call.recorder.commands();
    expect(cmds.some((c) => c.includes('execute-app-name: bridge') && c.includes('user/1001@'))).toBe(true);
    const log = h.callLog(summary.uuid);
    expect(log).toMatchObject({ did: DID, caller: '+919800000001', disposition: 'extension', answeredBy: '1001', dtmf: '1' });
    expect(log.answeredAt).not.toBeNull();
    expect(log.endedAt).not.toBeNull();
    expect(h.events.map((e) => e.type)).toEqual(['call.ringing', 'call.answered', 'call.dtmf', 'ivr.selection', 'call.transferred', 'call.hangup']);
  });

  it('readies the call in one round trip: connect, linger, two Event-Name filters and myevents in one write', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [dtmf('0')] } });
    await call.done;
    await h.settle();
    const cmds = call.recorder.commands();
    const setup = ['connect', 'linger 30', 'filter Event-Name CHANNEL_EXECUTE_COMPLETE', 'filter Event-Name CHANNEL_HANGUP', 'myevents'];
    expect(cmds.slice(0, setup.length)).toEqual(setup);
    const first = call.recorder.chunks.find((c) => c.dir === 'out')!.data.toString('utf8');
    expect(first).toBe(setup.map((c) => `${c}\n\n`).join(''));
    // Only the two event types an IVR call uses came from the switch: the key pressed reached the IVR
    // through play_and_get_digits, with no DTMF event.
    const names = new Set(call.recorder.frames().flatMap((f) => (f.kind === 'event' ? [f.event.name] : [])));
    expect([...names].sort()).toEqual(['CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP']);
    expect(cmds.at(-1)).toBe('exit');
  });

  it('answer and the first prompt leave in one write; FreeSWITCH runs them in order', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [dtmf('0')] } });
    await call.done;
    await h.settle();
    const writes = call.recorder.chunks.filter((c) => c.dir === 'out').map((c) => c.data.toString('utf8'));
    const first = writes.find((w) => w.includes('execute-app-name: answer'))!;
    expect(first).toContain('execute-app-name: play_and_get_digits');
    expect(first.indexOf('execute-app-name: answer')).toBeLessThan(first.indexOf('execute-app-name: play_and_get_digits'));
    // What the switch did: answer completed before the prompt started, and the call log says answered.
    const sig = call.recorder.frames().flatMap((f) => (f.kind === 'event' ? [`${f.event.name} ${f.event.headers['Application'] ?? ''}`] : []));
    expect(sig.indexOf('CHANNEL_EXECUTE_COMPLETE answer')).toBeLessThan(sig.indexOf('CHANNEL_EXECUTE_COMPLETE play_and_get_digits'));
    expect(h.events.map((e) => e.type).slice(0, 3)).toEqual(['call.ringing', 'call.answered', 'call.dtmf']);
  });

  it('a caller gone during the pipelined answer: the queued prompt is not waited for, the log says abandoned', async () => {
    const call = h.emu.placeCall({
      destination: '918065978001',
      callerIdNumber: '9800000001',
      script: { steps: [{ when: { onApp: 'answer', afterMs: 0 }, do: { kind: 'hangup', cause: 'ORIGINATOR_CANCEL' } }] },
    });
    const summary = await call.done;
    await h.settle();
    const log = h.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'abandoned', hangupCause: 'ORIGINATOR_CANCEL' });
    expect(log.endedAt).not.toBeNull();
    expect(h.registry.size()).toBe(0);
  });

  it('no input: timeout prompt, then goodbye and NORMAL_CLEARING after max_retries', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001' });
    const summary = await call.done;
    await h.settle();
    expect(summary.hangupCause).toBe('NORMAL_CLEARING');
    const log = h.callLog(summary.uuid);
    expect(log.disposition).toBe('no_input');
    expect((log.path as { step: string }[]).map((p) => p.step)).toEqual(['did', 'ivr', 'timeout', 'timeout', 'exhausted']);
  });

  it('invalid key then a valid one: invalid prompt, then the queue; the caller hangs up while waiting', async () => {
    const call = h.emu.placeCall({
      destination: '918065978001',
      callerIdNumber: '9800000001',
      script: { steps: [dtmf('9'), dtmf('2', 2), { when: { onApp: 'callcenter', afterMs: 30 }, do: { kind: 'hangup' } }] },
    });
    const summary = await call.done;
    await h.settle();
    const cmds = call.recorder.commands();
    expect(cmds).toContain('event plain CUSTOM callcenter::info');
    expect(cmds.some((c) => c.includes('execute-app-name: callcenter') && c.includes('5001@'))).toBe(true);
    const log = h.callLog(summary.uuid);
    expect(log.disposition).toBe('abandoned');
    expect(log.dtmf).toBe('92');
  });

  it('busy extension without voicemail: unavailable tone, then USER_BUSY', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [dtmf('4')], bridge: 'busy' } });
    const summary = await call.done;
    await h.settle();
    expect(summary.hangupCause).toBe('USER_BUSY');
    expect(h.callLog(summary.uuid).disposition).toBe('failed');
  });

  it('no answer at an extension with voicemail goes to voicemail', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [dtmf('1')], bridge: 'no-answer' } });
    const summary = await call.done;
    await h.settle();
    expect(call.recorder.commands().some((c) => c.includes('execute-app-name: voicemail'))).toBe(true);
    expect(h.callLog(summary.uuid).disposition).toBe('voicemail');
  });

  it('nested IVR to an external number through the gateway with the DID as caller id', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [dtmf('3'), dtmf('1', 2)] } });
    const summary = await call.done;
    await h.settle();
    const bridge = call.recorder.commands().find((c) => c.includes('execute-app-name: bridge'))!;
    expect(bridge).toContain('sofia/gateway/pstn/919944421125');
    expect(bridge).toContain('origination_caller_id_number=918065978001');
    expect(h.callLog(summary.uuid).disposition).toBe('external');
  });

  it('hangup at each step leaves a finished call log and nothing behind', async () => {
    for (const app of ['answer', 'play_and_get_digits', 'bridge']) {
      const call = h.emu.placeCall({
        destination: '918065978001',
        callerIdNumber: '9800000001',
        script: { steps: [dtmf('1'), { when: { onApp: app, afterMs: 1 }, do: { kind: 'hangup' } }], bridgeRingMs: 200 },
      });
      const summary = await call.done;
      await h.settle();
      const log = h.callLog(summary.uuid);
      expect(log.endedAt, app).not.toBeNull();
      expect(log.hangupCause, app).toBe('NORMAL_CLEARING');
    }
  });

  it('FreeSWITCH dropping the socket mid-call still finishes the call log', async () => {
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [{ when: { onApp: 'play_and_get_digits', afterMs: 5 }, do: { kind: 'drop' } }] } });
    const summary = await call.done;
    await h.settle();
    expect(h.callLog(summary.uuid).endedAt).not.toBeNull();
  });

  it('a malformed frame drops that call only', async () => {
    const bad = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '1', script: { steps: [{ when: { onApp: 'play_and_get_digits', afterMs: 5 }, do: { kind: 'malformed', variant: 'bad-content-length' } }] } });
    const good = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '2', script: { steps: [dtmf('0')] } });
    const [b, g] = await Promise.all([bad.done, good.done]);
    await h.settle();
    expect(h.callLog(b.uuid).endedAt).not.toBeNull();
    expect(h.callLog(g.uuid).disposition).toBe('hangup');
  });

  it('an unknown DID hears "not in service" and gets UNALLOCATED_NUMBER', async () => {
    const call = h.emu.placeCall({ destination: '918000000000', callerIdNumber: '9800000001' });
    const summary = await call.done;
    await h.settle();
    expect(summary.hangupCause).toBe('UNALLOCATED_NUMBER');
    expect(h.callLog(summary.uuid).disposition).toBe('unallocated');
  });

  it('a publish during a call does not change that call', async () => {
    const call = h.emu.placeCall({
      destination: '918065978001',
      callerIdNumber: '9800000001',
      script: { steps: [dtmf('1', 1, 150)], bridge: 'answer' },
    });
    // While the greeting plays: repoint key 1 and publish.
    await new Promise((r) => setTimeout(r, 40));
    await h.req('PUT', `/api/v1/ivrs/${mainIvr}/menu`, { options: [{ digit: '1', action_type: 'hangup', action_destination: null }] });
    await h.req('POST', `/api/v1/ivrs/${mainIvr}/publish`);
    const summary = await call.done;
    await h.settle();
    expect(h.callLog(summary.uuid).disposition).toBe('extension');
  });

  it.skipIf(!haveTranscripts)('FreeSWITCH → controller bytes for a simple IVR call are at most half of what the transcript shows', async () => {
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

  it('extension: bridged straight away, no IVR', async () => {
    await routeDid('extension', '1002');
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { bridge: 'answer' } });
    const summary = await call.done;
    await h.settle();
    const cmds = call.recorder.commands();
    expect(cmds.some((c) => c.includes('play_and_get_digits'))).toBe(false);
    expect(cmds.some((c) => c.includes('user/1002@acme.sip.local'))).toBe(true);
    expect(h.callLog(summary.uuid)).toMatchObject({ disposition: 'extension', answeredBy: '1002' });
  });

  it('queue: callcenter with the org-qualified queue name', async () => {
    await routeDid('queue', '5001');
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { callcenterTimeoutMs: 30 } });
    const summary = await call.done;
    await h.settle();
    expect(call.recorder.commands().some((c) => c.includes('execute-app-arg: 5001@acme.sip.local'))).toBe(true);
    expect(h.callLog(summary.uuid).disposition).toBe('abandoned');
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
    expect(h.callLog(summary.uuid)).toMatchObject({ did: DID, disposition: 'hangup' });
  });
});
