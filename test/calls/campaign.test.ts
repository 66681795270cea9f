// A campaign end to end against the emulator: the real dialer and call control place flow calls through the
// inbound emulator; answered ones come back to the controller, which runs the flow and logs the keys. Busy
// numbers are retried by the campaign's policy; the campaign logs and totals say what happened to each.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startController, type ControllerHarness } from '../helpers/controller.ts';
import { attachPlacing, type Placing } from '../helpers/placing.ts';
import { createDialer, type Dialer } from '../../src/switch/dialer.ts';
import { silentLogger } from '../../src/runtime/logger.ts';

const DID = '+918065978001';
let h: ControllerHarness;
let p: Placing;
let dialer: Dialer;
let flowId = '';

beforeEach(async () => {
  h = await startController({ placedCalls: true });
  await h.req('POST', '/api/v1/extensions', { number: '1001', name: 'Asha' });
  flowId = (await h.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Confirm', extension: '7001', timeout: 1, max_retries: 1 })).id;
  await h.req('PUT', `/api/v1/ivrs/${flowId}/menu`, { options: [{ digit: '1', action_type: 'hangup', action_destination: null }] });
  await h.req('POST', '/api/v1/dids', { number: DID, assign: true });
  await h.req('POST', `/api/v1/ivrs/${flowId}/publish`);
  p = await attachPlacing(h);
  // No bus subscription here: the harness checks that only its own listeners remain; the test drives the passes.
  dialer = createDialer({ db: h.api.deps.adb, logger: silentLogger(), calls: p.control, tickMs: 20 });
  h.api.deps.dialer = dialer;
});
afterEach(async () => {
  await dialer.stop();
  await p.close();
  await h.close();
});

it('answered (key 1 logged), busy then answered on the retry, never answering: each number dialled as the policy says', async () => {
  p.customer.script = { steps: [{ when: { onApp: 'play_and_get_digits', afterMs: 5 }, do: { kind: 'dtmf', digits: '1' } }] };
  p.customer.outcomeFor = (number, nth) => (number.endsWith('02') ? (nth === 1 ? 'busy' : 'answer') : number.endsWith('03') ? 'no-answer' : 'answer');
  const c = await h.req<{ id: string }>('POST', '/api/v1/campaigns', {
    name: 'Confirm orders', did: DID, flow_id: flowId, no_of_call: 2, start_time: '00:00', end_time: '24:00', days: [0, 1, 2, 3, 4, 5, 6],
    retry: { busy: { attempts: 2, spacing_minutes: 0 }, no_answer: { attempts: 1, spacing_minutes: 0 } },
  });
  await h.req('POST', `/api/v1/campaigns/${c.id}/numbers/bulk`, { numbers: ['+919900000001', '+919900000002', '+919900000003'] });
  await h.req('POST', `/api/v1/campaigns/${c.id}/status`, { status: 'on' });
  dialer.start();
  const deadline = Date.now() + 10_000;
  let totals: Record<string, number> = {};
  while (Date.now() < deadline) {
    totals = (await h.req<{ totals: Record<string, number> }>('GET', `/api/v1/campaigns/${c.id}`)).totals;
    if (totals.pending === 0 && totals.dialing === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(totals).toMatchObject({ numbers: 3, completed: 2, answered: 2, failed: 1, pending: 0, dialing: 0 });
  await h.settle();
  const logs = await h.req<{ attempts: Array<{ number: string; attempt: number; answered: boolean; outcome: string; dtmf: string }> }>('GET', `/api/v1/campaign-logs?campaign_id=${c.id}`);
  const byNumber = (n: string) => logs.attempts.filter((a) => a.number === n).sort((a, b) => a.attempt - b.attempt).map((a) => [a.attempt, a.answered, a.outcome, a.dtmf]);
  expect(byNumber('+919900000001')).toEqual([[1, true, 'ended_by_ivr', '1']]);
  expect(byNumber('+919900000002')).toEqual([[1, false, 'busy', ''], [2, true, 'ended_by_ivr', '1']]);
  expect(byNumber('+919900000003')).toEqual([[1, false, 'no_answer', '']]);
  expect(p.originates()).toHaveLength(4);
});
