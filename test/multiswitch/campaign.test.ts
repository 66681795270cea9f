// A campaign on two switches: the dialer's calls are placed on both (round robin), each answered leg comes
// back to the controller from its own switch, and every call log row names the switch that carried it.
import { afterEach, expect, it } from 'vitest';
import { startCluster, DID, type Cluster } from './harness.ts';
import { createDialer, type Dialer } from '../../src/switch/dialer.ts';
import { silentLogger } from '../../src/runtime/logger.ts';

let c: Cluster | undefined;
let dialer: Dialer | undefined;
afterEach(async () => {
  await dialer?.stop();
  await c?.close();
  c = dialer = undefined;
});

it('spreads a campaign\'s calls over both switches; each call log names its switch', async () => {
  const pressOne = { steps: [{ when: { onApp: 'play_and_get_digits', afterMs: 5 }, do: { kind: 'dtmf' as const, digits: '1' } }] };
  c = await startCluster({ policy: 'round_robin', controller: { placedCalls: true }, calls: { socketScript: () => pressOne } });
  const flowId = (await c.h.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Confirm', extension: '7001', timeout: 1, max_retries: 1 })).id;
  await c.h.req('PUT', `/api/v1/ivrs/${flowId}/menu`, { options: [{ digit: '1', action_type: 'hangup', action_destination: null }] });
  await c.h.req('POST', `/api/v1/ivrs/${flowId}/publish`);
  dialer = createDialer({ db: c.h.api.deps.adb, logger: silentLogger(), calls: c.control, tickMs: 20 });
  const campaign = await c.h.req<{ id: string }>('POST', '/api/v1/campaigns', {
    name: 'Confirm orders', did: DID, flow_id: flowId, no_of_call: 4, start_time: '00:00', end_time: '24:00', days: [0, 1, 2, 3, 4, 5, 6],
  });
  await c.h.req('POST', `/api/v1/campaigns/${campaign.id}/numbers/bulk`, { numbers: ['+919900000001', '+919900000002', '+919900000003', '+919900000004'] });
  await c.h.req('POST', `/api/v1/campaigns/${campaign.id}/status`, { status: 'on' });
  dialer.start();
  const deadline = Date.now() + 10_000;
  let totals: Record<string, number> = {};
  while (Date.now() < deadline) {
    totals = (await c.h.req<{ totals: Record<string, number> }>('GET', `/api/v1/campaigns/${campaign.id}`)).totals;
    if (totals.pending === 0 && totals.dialing === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(totals).toMatchObject({ numbers: 4, completed: 4, answered: 4, pending: 0, dialing: 0 });
  await c.h.settle();
  expect(c.a.originates()).toHaveLength(2);
  expect(c.b.originates()).toHaveLength(2);
  // The answered legs came back from their own switch: two sessions from each.
  expect(c.a.emu.sim!.socketCalls).toHaveLength(2);
  expect(c.b.emu.sim!.socketCalls).toHaveLength(2);
  const db = c.h.api.deps.adb;
  const rows = await db.select({ id: db.t.callLogs.id, switchId: db.t.callLogs.switchId, dtmf: db.t.callLogs.dtmf }).from(db.t.callLogs);
  expect(rows.map((r) => r.switchId).sort()).toEqual(['a', 'a', 'b', 'b']);
  expect(rows.every((r) => r.dtmf === '1')).toBe(true);
  for (const r of rows) expect(c.a.originates().some((l) => l.includes(`sb_call_id=${r.id}`))).toBe(r.switchId === 'a');
});
