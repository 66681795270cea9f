// Draining: a call arriving after drain() is let go right after `connect` (no command, no call log):
// the dialplan then hands it to the next controller. A call in progress goes on, including its second socket.
import { afterEach, expect, it } from 'vitest';
import { startController, type ControllerHarness } from '../helpers/controller.ts';

let h: ControllerHarness;
afterEach(async () => h.close());

it('after drain(), a new call gets only connect and exit; the call in progress finishes and is logged', async () => {
  h = await startController();
  const ivr = await h.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Main', extension: '7001', timeout: 1, max_retries: 1 });
  await h.req('PUT', `/api/v1/ivrs/${ivr.id}/menu`, { options: [{ digit: '0', action_type: 'hangup', action_destination: null }] });
  const did = await h.req<{ id: string }>('POST', '/api/v1/dids', { number: '+918065978001', assign: true });
  await h.req('PUT', `/api/v1/dids/${did.id}`, { routing_type: 'ivr', routing_destination: ivr.id });
  await h.req('POST', `/api/v1/ivrs/${ivr.id}/publish`);
  const before = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [{ when: { onApp: 'play_and_get_digits', afterMs: 60 }, do: { kind: 'dtmf', digits: '0' } }] } });
  await before.executed('play_and_get_digits');
  h.server.drain();
  expect(h.server.draining).toBe(true);
  const after = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000002' });
  const gone = await after.done;
  expect(after.first.recorder.commands().filter((c) => !c.startsWith('linger') && !c.startsWith('event'))).toEqual(['connect', 'exit']);
  expect(gone.hungUp).toBe(false); // the call is still up: the dialplan goes on to the next controller
  await before.done;
  await h.settle();
  expect(await h.callLog(before.uuid)).toMatchObject({ disposition: 'ended_by_ivr' });
  expect(await h.api.deps.adb.select().from(h.api.deps.adb.t.callLogs)).toHaveLength(1);
});
