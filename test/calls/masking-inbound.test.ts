/**
 * Inbound masking end to end: a session created through the API (call control on the emulator's
 * inbound mode keeps its placed call up), then a party dialling the DID through the controller.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startController, type ControllerHarness } from '../helpers/controller.ts';
import { InboundEmulator } from '../emulator/inbound-server.ts';
import { InboundClient } from '../../src/esl/inbound-client.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { createCallEventBus } from '../../src/domain/call-events.ts';
import { createCallControl } from '../../src/switch/call-control.ts';
import { oneSwitch } from '../helpers/switches.ts';
import type { CallControl } from '../../src/services/calls/control.ts';
import { createMaskingLookup } from '../../src/services/masking/lookup.ts';

const DID = '+918065978001';
const A = '9944421125';
const B = '9944421126';
type Session = { id: string; status: string; logid: string };

let h: ControllerHarness;
let sw: { emu: InboundEmulator; client: InboundClient; control: CallControl };

beforeEach(async () => {
  h = await startController({ masking: true });
  // The switch side of the management API: placed calls stay up until killed (talkMs unset).
  const emu = new InboundEmulator({ calls: {} });
  const port = await emu.listen();
  const client = new InboundClient({
    port, password: 'ClueCon', logger: silentLogger(), commandTimeoutMs: 1_000, authTimeoutMs: 500,
    reconnect: { initialDelayMs: 10, maxDelayMs: 50, factor: 2 },
  });
  const control = createCallControl({
    db: h.api.deps.adb, logger: silentLogger(), bus: createCallEventBus(), switches: oneSwitch(client), gateway: 'pstn', ringTimeoutS: 2,
    recordingsDir: null, commandTimeoutMs: 1_000,
  });
  h.api.deps.calls = control;
  control.start();
  client.start();
  await client.waitConnected({ timeoutMs: 2_000 });
  sw = { emu, client, control };
  const did = await h.req<{ id: string }>('POST', '/api/v1/dids', { number: DID, assign: true });
  await h.req('PUT', `/api/v1/dids/${did.id}`, { routing_type: 'external', routing_destination: '+919800000999' });
});
afterEach(async () => {
  sw.control.stop();
  await sw.client.close();
  await sw.emu.close();
  await h.close();
});

async function createSession(): Promise<Session> {
  const s = await h.req<Session>('POST', '/api/v1/masking-sessions', { first_phone: A, second_phone: `0${B}`, did: DID });
  expect(s.status).toBe('active');
  return s;
}

async function dial(callerIdNumber: string) {
  const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber, script: { bridge: 'answer' } });
  const summary = await call.done;
  await h.settle();
  const bridge = call.recorder.commands().find((c) => c.includes('execute-app-name: bridge'));
  return { summary, bridge, log: await h.callLog(summary.uuid) };
}

/** Every call_logs and outbound_calls row, as text. */
const dump = async () => {
  const { adb } = h.api.deps;
  return JSON.stringify([await adb.select().from(adb.t.callLogs), await adb.select().from(adb.t.outboundCalls)]);
};

describe('inbound masking', () => {
  it('either party dialling the DID reaches the other through the gateway, showing only the DID', async () => {
    const s = await createSession();
    const fromA = await dial(A);
    expect(fromA.bridge).toContain(`sofia/gateway/pstn/91${B}`);
    for (const v of ['origination_caller_id_number=918065978001', 'effective_caller_id_number=918065978001', 'effective_caller_id_name=918065978001']) {
      expect(fromA.bridge).toContain(v);
    }
    expect(fromA.log).toMatchObject({ direction: 'masking', did: DID, caller: '+9199******25', callerName: null, disposition: 'connected', leftAt: 'talk', answeredBy: '+9199******26' });
    expect((fromA.log.path as unknown[]).at(-1)).toMatchObject({ step: 'action', type: 'masking', value: '+9199******26', result: 'answered' });
    expect(fromA.log.answeredAt).not.toBeNull();
    expect(fromA.log.endedAt).not.toBeNull();

    const fromB = await dial(`+91${B}`);
    expect(fromB.bridge).toContain(`sofia/gateway/pstn/91${A}`);
    expect(fromB.log).toMatchObject({ direction: 'masking', caller: '+9199******26', answeredBy: '+9199******25' });
    expect(h.events.filter((e) => e.type === 'call.bridged').map((e) => e.callId)).toEqual([fromA.log.id, fromB.log.id]);

    // Per-session logs: the placed call, then both inbound calls (masked).
    const logs = await h.req<Array<Record<string, unknown>>>('GET', `/api/v1/masking-sessions/${s.id}/logs`);
    expect(logs.map((l) => [l.call_id, l.from, l.to, l.status])).toEqual([
      [s.logid, '+9199******25', '+9199******26', 'bridged'],
      [fromA.log.id, '+9199******25', '+9199******26', 'ended'],
      [fromB.log.id, '+9199******26', '+9199******25', 'ended'],
    ]);
    expect(typeof logs[1]!.duration).toBe('number');
    expect(logs[1]!.hangup_cause).toBe('NORMAL_CLEARING');
    const status = await h.req('GET', `/api/v1/calls/${fromA.log.id}`);
    expect(status).toMatchObject({ type: 'masking', status: 'ended', first_number: '+9199******25', second_number: '+9199******26' });
    expect(status.bridged_at).not.toBeNull();
    const list = await h.req<{ calls: Array<{ id: string; caller_number: string }> }>('GET', '/api/v1/call-logs?type=masking');
    expect(list.calls.map((c) => c.id)).toEqual(expect.arrayContaining([fromA.log.id, fromB.log.id]));
    expect(await dump()).not.toContain(A);
    expect(await dump()).not.toContain(B);
  });

  it('an unrelated caller, and a party after the session ended, get the DID\'s normal routing', async () => {
    const s = await createSession();
    const other = await dial('9800000001');
    expect(other.bridge).toContain('sofia/gateway/pstn/919800000999');
    expect(other.log).toMatchObject({ direction: 'inbound', caller: '+919800000001', disposition: 'connected', answeredBy: '+919800000999', leftAt: 'talk' });

    await h.req('DELETE', `/api/v1/masking-sessions/${s.id}`);
    const after = await dial(A);
    expect(after.bridge).toContain('sofia/gateway/pstn/919800000999');
    expect(after.log.direction).toBe('inbound');
    const logs = await h.req<unknown[]>('GET', `/api/v1/masking-sessions/${s.id}/logs`);
    expect(logs).toHaveLength(1);
  });

  it('the other party busy: unavailable, the call log says busy, the session logs it failed with the cause, still masked', async () => {
    const s = await createSession();
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: A, script: { bridge: 'busy' } });
    const summary = await call.done;
    await h.settle();
    expect(summary.hangupCause).toBe('USER_BUSY');
    const log = await h.callLog(summary.uuid);
    expect(log).toMatchObject({ direction: 'masking', caller: '+9199******25', disposition: 'busy', leftAt: 'prompt', answeredBy: null, answeredAt: null });
    expect((log.path as unknown[]).at(-1)).toMatchObject({ step: 'action', type: 'masking', value: '+9199******26', result: 'USER_BUSY' });
    const logs = await h.req<Array<Record<string, unknown>>>('GET', `/api/v1/masking-sessions/${s.id}/logs`);
    expect(logs[1]).toMatchObject({ call_id: log.id, status: 'failed', hangup_cause: 'USER_BUSY' });
    expect(await dump()).not.toContain(A);
  });
});

describe('masking lookup', () => {
  it('matches only active, unexpired sessions on that DID, for either party', async () => {
    const s = await createSession();
    let now = new Date();
    const lookup = createMaskingLookup(h.api.deps.adb, () => now);
    expect(await lookup(DID, `+91${A}`)).toMatchObject({ sessionId: s.id, orgId: h.org.orgId, otherParty: `+91${B}`, callerMasked: '+9199******25', otherMasked: '+9199******26' });
    expect((await lookup(DID, `+91${B}`))?.otherParty).toBe(`+91${A}`);
    expect(await lookup('+918065978002', `+91${A}`)).toBeNull();
    expect(await lookup(DID, '+919800000001')).toBeNull();
    now = new Date(Date.now() + 2 * 3600_000);
    expect(await lookup(DID, `+91${A}`)).toBeNull();
  });
});
