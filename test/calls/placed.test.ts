// Calls we place that the controller runs once answered (flow, tts, bot): the API places them through the
// inbound emulator (originate), the answered leg's `socket` app brings the call to the controller, which
// runs the flow as it runs an inbound call. One call log row, one call.hangup, keys in the row.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startController, type ControllerHarness } from '../helpers/controller.ts';
import type { InboundEmulator } from '../emulator/inbound-server.ts';
import { attachPlacing, endedCallLog, type Customer, type Placing } from '../helpers/placing.ts';
import type { CallControl } from '../../src/services/calls/control.ts';

const DID = '+918065978001';
const CUSTOMER = '+919944421125';

let h: ControllerHarness;
let inbound: InboundEmulator;
let p: Placing;
let control: CallControl;
let mainIvr: string;
let draftIvr: string;
/** What the customer's phone does, per test. */
let customer: Customer;

beforeEach(async () => {
  h = await startController({ placedCalls: true });
  await h.req('POST', '/api/v1/extensions', { number: '1001', name: 'Asha' });
  const main = await h.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Order confirmation', extension: '7001', description: 'Press 1 to confirm', timeout: 1, max_retries: 1 });
  mainIvr = main.id;
  await h.req('PUT', `/api/v1/ivrs/${main.id}/menu`, {
    options: [
      { digit: '1', action_type: 'extension', action_destination: '1001' },
      { digit: '0', action_type: 'hangup', action_destination: null },
    ],
  });
  const did = await h.req<{ id: string }>('POST', '/api/v1/dids', { number: DID, assign: true });
  await h.req('PUT', `/api/v1/dids/${did.id}`, { routing_type: 'ivr', routing_destination: main.id });
  await h.req('POST', `/api/v1/ivrs/${main.id}/publish`);
  draftIvr = (await h.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Draft', extension: '7009' })).id;

  p = await attachPlacing(h);
  inbound = p.inbound;
  control = p.control;
  customer = p.customer;
});

afterEach(async () => {
  await p.close();
  await h.close();
});

/** The placed call's row once its call log has ended (polls the API's own view of it). */
const ended = (logid: string) => endedCallLog(h.api.deps.adb, logid);
/** The placed call's outbound_calls row. */
const outbound = async (logid: string) => {
  const { adb } = h.api.deps;
  const [row] = await adb.select().from(adb.t.outboundCalls).where(eq(adb.t.outboundCalls.id, logid));
  return row!;
};

const hangups = (logid: string) => h.events.filter((e) => e.type === 'call.hangup' && e.callId === logid);
const dtmfAtMenu = (digits: string) => ({ steps: [{ when: { onApp: 'play_and_get_digits', afterMs: 5 }, do: { kind: 'dtmf' as const, digits } }] });

describe('call flows', () => {
  it('lists the published IVRs, not drafts', async () => {
    const { flows } = await h.req<{ flows: Array<Record<string, unknown>> }>('GET', '/api/v1/call-flows');
    expect(flows).toEqual([{ id: mainIvr, name: 'Order confirmation', description: 'Press 1 to confirm', extension: '7001' }]);
  });
});

describe('flow calls', () => {
  it('the customer answers and presses 0: the flow runs, the key is logged, ended_by_ivr, one call.hangup', async () => {
    customer.script = dtmfAtMenu('0');
    const placed = await h.req<{ logid: string; status: string }>('POST', '/api/v1/calls/flow', { did: DID, customer_number: '09944421125', flow_id: mainIvr });
    expect(placed.status).toBe('success');
    const log = await ended(placed.logid);
    expect(log).toMatchObject({ direction: 'flow', did: DID, caller: CUSTOMER, dtmf: '0', disposition: 'ended_by_ivr' });
    expect(log.answeredAt).not.toBeNull();
    const steps = (log.path as Array<{ step: string; kind?: string; value?: string }>).map((p) => p.step);
    expect(steps.slice(0, 3)).toEqual(['placed', 'ivr', 'digits']);
    // The originate dialled the customer showing the DID, and handed the answered leg to our call server.
    const originate = inbound.commandLog.find((l) => l.startsWith('bgapi originate'))!;
    expect(originate).toContain(`origination_caller_id_number=${DID}`);
    expect(originate).toMatch(new RegExp(`sofia/gateway/pstn/\\${CUSTOMER} 'socket:127\\.0\\.0\\.1:\\d+ full' inline$`));
    await h.settle();
    expect(hangups(placed.logid)).toHaveLength(1);
    expect(hangups(placed.logid)[0]).toMatchObject({ disposition: 'ended_by_ivr' });
    const types = h.events.filter((e) => e.callId === placed.logid).map((e) => e.type);
    // The switch side's ringing/answered and the session's events travel on two sockets: no order between them.
    expect([...types].sort()).toEqual(['call.answered', 'call.dtmf', 'call.hangup', 'call.ringing', 'ivr.selection']);
    expect(types.at(-1)).toBe('call.hangup');
    // The row ends on the switch side's hangup, which may come after the session's (two sockets).
    await expect.poll(async () => (await outbound(placed.logid)).status, { timeout: 5_000 }).toBe('ended');
    expect(await outbound(placed.logid)).toMatchObject({ kind: 'flow', status: 'ended', firstNumber: CUSTOMER });
  });

  it('call.hangup waits for the switch side\'s writes of the call (its answer), so call.answered never follows it', async () => {
    customer.script = dtmfAtMenu('0');
    // The switch side's writes of this call take 300 ms more than they do.
    const real = control.settled.bind(control);
    let written = false;
    control.settled = async (id) => {
      await real(id);
      await new Promise((r) => setTimeout(r, 300));
      written = true;
    };
    let writtenAtHangup: boolean | undefined;
    h.bus.subscribe((e) => {
      if (e.type === 'call.hangup') writtenAtHangup = written;
    });
    const placed = await h.req<{ logid: string }>('POST', '/api/v1/calls/flow', { did: DID, customer_number: CUSTOMER, flow_id: mainIvr });
    await ended(placed.logid);
    await expect.poll(() => writtenAtHangup, { timeout: 5_000 }).toBe(true);
    const types = h.events.filter((e) => e.callId === placed.logid).map((e) => e.type);
    expect(types.at(-1)).toBe('call.hangup');
    expect(types.filter((t) => t === 'call.answered')).toHaveLength(1);
  });

  it('the customer is busy: busy, the row failed, one call.hangup, no session', async () => {
    customer.outcome = 'busy';
    const placed = await h.req<{ logid: string }>('POST', '/api/v1/calls/flow', { did: DID, customer_number: CUSTOMER, flow_id: mainIvr });
    const log = await ended(placed.logid);
    expect(log).toMatchObject({ direction: 'flow', disposition: 'busy', hangupCause: 'USER_BUSY', answeredAt: null });
    expect(inbound.sim!.socketCalls).toHaveLength(0);
    expect(hangups(placed.logid)).toHaveLength(1);
    expect((await outbound(placed.logid)).status).toBe('failed');
  });

  it('the customer does not answer: no_answer', async () => {
    customer.outcome = 'no-answer';
    const placed = await h.req<{ logid: string }>('POST', '/api/v1/calls/flow', { did: DID, customer_number: CUSTOMER, flow_id: mainIvr });
    expect(await ended(placed.logid)).toMatchObject({ disposition: 'no_answer', hangupCause: 'NO_ANSWER' });
  });

  it('the customer hangs up during the menu: abandoned at greeting, keys none', async () => {
    customer.script = { steps: [{ when: { onApp: 'play_and_get_digits', afterMs: 5 }, do: { kind: 'hangup' } }] };
    const placed = await h.req<{ logid: string }>('POST', '/api/v1/calls/flow', { did: DID, customer_number: CUSTOMER, flow_id: mainIvr });
    expect(await ended(placed.logid)).toMatchObject({ disposition: 'abandoned', leftAt: 'greeting', dtmf: '' });
    await h.settle();
    expect(hangups(placed.logid)).toHaveLength(1);
  });

  it('refuses what it cannot place: a draft or unknown flow, a bad number, a foreign DID, a past schedule', async () => {
    const post = (body: Record<string, unknown>) => h.api.call('POST', '/api/v1/calls/flow', { token: h.org.token, body: { did: DID, customer_number: CUSTOMER, flow_id: mainIvr, ...body } });
    const draft = await post({ flow_id: draftIvr });
    expect(draft.status).toBe(400);
    expect(JSON.stringify(await draft.json())).toContain('not published');
    expect((await post({ flow_id: 'nope' })).status).toBe(400);
    expect((await post({ customer_number: 'abc' })).status).toBe(400);
    expect((await post({ did: '+918065978999' })).status).toBe(400);
    expect((await post({ schedule_datetime: '2020-01-01 10:00', timezone: 'Asia/Kolkata' })).status).toBe(400);
    expect((await post({ schedule_datetime: '2030-01-01 10:00', timezone: 'Mars/Olympus' })).status).toBe(400);
    expect(inbound.commandLog.filter((l) => l.startsWith('bgapi originate'))).toHaveLength(0);
  });

  it('a scheduled flow call waits in the database (status scheduled) with its spec', async () => {
    const placed = await h.req<{ logid: string; scheduled_at: string }>('POST', '/api/v1/calls/flow', {
      did: DID, customer_number: CUSTOMER, flow_id: mainIvr, schedule_datetime: '2030-01-01 10:00', timezone: 'Asia/Kolkata',
    });
    expect(placed.scheduled_at).toBe('2030-01-01T04:30:00.000Z');
    const row = await outbound(placed.logid);
    expect(row).toMatchObject({ status: 'scheduled', kind: 'flow', spec: { kind: 'flow', ivrId: mainIvr } });
    // The scheduler's path: claimed, then placed like any other.
    await h.api.deps.adb.update(h.api.deps.adb.t.outboundCalls).set({ status: 'dialing' }).where(eq(h.api.deps.adb.t.outboundCalls.id, placed.logid));
    customer.script = dtmfAtMenu('0');
    await control.place(placed.logid);
    expect(await ended(placed.logid)).toMatchObject({ direction: 'flow', dtmf: '0', disposition: 'ended_by_ivr' });
  });
});

describe('tts calls', () => {
  beforeEach(async () => {
    await h.req('POST', '/api/v1/tts-templates', { name: 'order_confirm', text: 'Hello {{name}}, your order {{order_id}} is ready.' });
    await h.req('POST', '/api/v1/tts-templates', { name: 'otp', text: 'Your code is {{1}}.' });
  });

  /** The wav the customer heard: the session's playback (rendered when dialled, kept on the row). */
  const played = () => inbound.sim!.socketCalls[0]!.recorder.commands().filter((c) => c.includes('execute-app-name: playback'));

  it('speaks the rendered template, then hangs up: message_played', async () => {
    const placed = await h.req<{ logid: string }>('POST', '/api/v1/calls/tts', { did: DID, customer_number: CUSTOMER, template: 'order_confirm', variables: { name: 'John', order_id: 'ORD12345' } });
    const log = await ended(placed.logid);
    expect(log).toMatchObject({ direction: 'tts', disposition: 'message_played' });
    const spec = (await outbound(placed.logid)).spec as { audio: string };
    expect(spec.audio).toMatch(/\/tts\/.+\/[0-9a-f]{64}\.wav$/);
    expect(played().some((c) => c.includes(spec.audio))).toBe(true);
    const tpl = await h.req<{ status: string; last_rendered_at: string | null }>('GET', '/api/v1/tts-templates/order_confirm/status');
    expect(tpl.last_rendered_at).not.toBeNull();
  });

  it('the vendor\'s positional Variable string, then a flow\'s menu: the key is logged', async () => {
    customer.script = dtmfAtMenu('0');
    const placed = await h.req<{ logid: string }>('POST', '/api/v1/calls/tts', { did: DID, customer_number: CUSTOMER, template: 'otp', Variable: '4711', flow_id: mainIvr });
    const log = await ended(placed.logid);
    expect(log).toMatchObject({ direction: 'tts', dtmf: '0', disposition: 'ended_by_ivr' });
    expect((log.path as Array<{ step: string }>).map((p) => p.step).slice(0, 3)).toEqual(['placed', 'ivr', 'digits']);
  });

  it('a missing value is a 400 naming it, an unknown template a 404: nothing is dialled', async () => {
    const res = await h.api.call('POST', '/api/v1/calls/tts', { token: h.org.token, body: { did: DID, customer_number: CUSTOMER, template: 'order_confirm', variables: { name: 'John' } } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('order_id');
    expect((await h.api.call('POST', '/api/v1/calls/tts', { token: h.org.token, body: { did: DID, customer_number: CUSTOMER, template: 'nope' } })).status).toBe(404);
    expect(inbound.commandLog.filter((l) => l.startsWith('bgapi originate'))).toHaveLength(0);
  });
});

describe('placed calls are found only by their own leg', () => {
  it('a channel naming another call\'s sb_call_id is routed as an ordinary inbound call', async () => {
    const placed = await h.req<{ logid: string }>('POST', '/api/v1/calls/flow', {
      did: DID, customer_number: CUSTOMER, flow_id: mainIvr, schedule_datetime: '2030-01-01 10:00', timezone: 'Asia/Kolkata',
    });
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', variables: { sb_call_id: placed.logid }, script: dtmfAtMenu('0') });
    await call.done;
    await h.settle();
    expect(await h.callLog(call.uuid)).toMatchObject({ direction: 'inbound', disposition: 'ended_by_ivr' });
    expect((await h.callLog(call.uuid)).id).not.toBe(placed.logid);
  });
});
