/**
 * Business hours end to end without FreeSWITCH: a DID routed to a schedule, configured through the API and
 * published, with the calls' clock set to the instant each test needs (CallDeps.now).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startController, type ControllerHarness } from '../helpers/controller.ts';

const DID = '+918065978001';
let h: ControllerHarness;
/** The calls' clock: each test sets the instant its calls happen at. */
let instant = new Date();
let hours: string;
let afterHours: string;

beforeEach(async () => {
  h = await startController({ now: () => instant });
  await h.req('POST', '/api/v1/extensions', { number: '1001', name: 'Asha' });
  const ivr = await h.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'After hours', extension: '7001', timeout: 1, max_retries: 1 });
  afterHours = ivr.id;
  const schedule = await h.req<{ id: string }>('POST', '/api/v1/business-hours', {
    name: 'Office',
    timezone: 'America/New_York',
    weekly: { mon: [{ start: '09:00', end: '17:00' }], sun: [{ start: '01:00', end: '04:00' }] },
    holidays: [{ date: '2026-12-25', name: 'Christmas' }],
    open_destination: { type: 'extension', value: '1001' },
    closed_destination: { type: 'ivr', value: afterHours },
  });
  hours = schedule.id;
  // The after-hours menu: 0 hangs up, 1 asks the schedule again (a menu option to a schedule).
  await h.req('PUT', `/api/v1/ivrs/${afterHours}/menu`, {
    options: [{ digit: '0', action_type: 'hangup', action_destination: null }, { digit: '1', action_type: 'time_condition', action_destination: hours }],
  });
  const did = await h.req<{ id: string }>('POST', '/api/v1/dids', { number: DID, assign: true });
  await h.req('PUT', `/api/v1/dids/${did.id}`, { routing_type: 'time_condition', routing_destination: hours });
  await h.req('POST', `/api/v1/ivrs/${afterHours}/publish`);
});
afterEach(async () => {
  await h.close();
});

type Step = { step: string; type?: string; value?: string | null; result?: string; routing?: string | null };
const steps = (log: { path: unknown }) => (log.path as Step[]).map(({ step, type, value, result, routing }) => ({ step, type, value, result, routing }));
const dtmf = (digits: string, nth = 1) => ({ when: { onApp: 'play_and_get_digits', nth, afterMs: 5 }, do: { kind: 'dtmf' as const, digits } });

describe('a DID routed to business hours', () => {
  it('open (Monday 11:00 in New York): straight to the extension; the path shows the schedule\'s answer', async () => {
    instant = new Date('2026-03-09T15:00:00Z');
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { bridge: 'answer', bridgeTalkMs: 40 } });
    const summary = await call.done;
    await h.settle();
    expect(call.recorder.commands().some((c) => c.includes('user/1001@acme.sip.local'))).toBe(true);
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'connected', answeredBy: '1001', startedAt: '2026-03-09T15:00:00.000Z' });
    expect(steps(log)).toMatchObject([
      { step: 'did', routing: 'time_condition' },
      { step: 'action', type: 'time_condition', value: hours, result: 'open' },
      { step: 'action', type: 'extension', value: '1001', result: 'answered' },
    ]);
  });

  it('closed (Monday 18:00): the after-hours menu, where 0 hangs up', async () => {
    instant = new Date('2026-03-09T22:00:00Z');
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [dtmf('0')] } });
    const summary = await call.done;
    await h.settle();
    expect(call.recorder.commands().some((c) => c.includes('bridge'))).toBe(false);
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'ended_by_ivr', dtmf: '0' });
    expect(steps(log)).toMatchObject([
      { step: 'did', routing: 'time_condition' },
      { step: 'action', type: 'time_condition', value: hours, result: 'closed' },
      { step: 'ivr' },
      { step: 'digits' },
      { step: 'action', type: 'hangup' },
    ]);
  });

  it('spring forward (Sunday 2026-03-08, 03:30 EDT): the range 01:00–04:00 spans the skipped hour and is open', async () => {
    instant = new Date('2026-03-08T07:30:00Z');
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { bridge: 'answer', bridgeTalkMs: 40 } });
    const summary = await call.done;
    await h.settle();
    expect(steps(await h.callLog(summary.uuid))[1]).toMatchObject({ type: 'time_condition', result: 'open' });
  });

  it('a holiday is closed: the path says holiday; a menu option back to the schedule asks it again', async () => {
    instant = new Date('2026-12-25T15:00:00Z');
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [dtmf('1'), dtmf('0', 2)] } });
    const summary = await call.done;
    await h.settle();
    const log = await h.callLog(summary.uuid);
    expect(steps(log).filter((s) => s.type === 'time_condition').map((s) => s.result)).toEqual(['holiday', 'holiday']);
    expect(steps(log).map((s) => s.step)).toEqual(['did', 'action', 'ivr', 'digits', 'action', 'ivr', 'digits', 'action']);
    expect(log.disposition).toBe('ended_by_ivr');
  });
});
