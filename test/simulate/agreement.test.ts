/**
 * The simulator and a real call agree: the same flows, published through the API, walked by the simulator and
 * called through the controller (the emulator speaks FreeSWITCH's ESL bytes, presses the same keys, and the far
 * end of every bridge answers). The call log's path and outcome, and every prompt the controller sent, must be
 * the ones the simulator reports.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startController, type ControllerHarness } from '../helpers/controller.ts';
import type { CallerStep } from '../emulator/index.ts';
import { simulateCall } from '../../src/simulate/simulate.ts';
import type { SimulationRequest } from '../../src/simulate/types.ts';
import { HOURS_DID, MAIN_DID, buildFlows, untimed } from './flows.ts';

/** Monday 18:00 in New York: the schedule is closed. */
const CLOSED = '2026-03-09T22:00:00Z';
let h: ControllerHarness;

beforeEach(async () => {
  h = await startController({ now: () => new Date(CLOSED), webhooks: true });
  await buildFlows(h.req);
});
afterEach(async () => {
  await h.close();
});

/** The emulated caller presses the n-th key entry at the n-th digit collection ("timeout": nothing). */
function pressing(keys: readonly string[]): CallerStep[] {
  return keys.flatMap((k, i) => (k === 'timeout' ? [] : [{ when: { onApp: 'play_and_get_digits', nth: i + 1, afterMs: 5 }, do: { kind: 'dtmf' as const, digits: k } }]));
}

/** Every file the controller had played, in order: playback, and each digit collection's prompt (file_string lists split). */
function promptsSent(commands: readonly string[]): string[] {
  return commands.flatMap((c) => {
    const app = /execute-app-name: (.*)/.exec(c)?.[1];
    const arg = /execute-app-arg: (.*)/.exec(c)?.[1] ?? '';
    const file = app === 'playback' ? arg : app === 'play_and_get_digits' ? (arg.split(' ')[5] ?? '') : null;
    if (file === null) return [];
    return file.startsWith('file_string://') ? file.slice('file_string://'.length).split('!') : [file];
  });
}

async function both(did: string, request: Omit<SimulationRequest, 'did'>) {
  const keys = request.keys ?? [];
  const call = h.emu.placeCall({ destination: did.slice(1), callerIdNumber: '9800000001', script: { steps: pressing(keys), bridge: 'answer', bridgeTalkMs: 40 } });
  const summary = await call.done;
  await h.settle();
  const log = await h.callLog(summary.uuid);
  const { webhookDeliveries } = h.api.deps.adb.t;
  const deliveries = (await h.api.deps.adb.select().from(webhookDeliveries)).length;
  const sim = await simulateCall({ adb: h.api.deps.adb, config: h.api.config, logger: h.api.deps.logger, now: () => new Date() }, h.org.orgId, { did, ...request });
  // The simulated call announced nothing: no webhook delivery was queued for it.
  expect(await h.api.deps.adb.select().from(webhookDeliveries)).toHaveLength(deliveries);
  return { log, sim, prompts: promptsSent(call.recorder.commands()) };
}

describe('simulator and controller agree', () => {
  const flows: Array<[string, string, string[], { kind: string; outcome: string }]> = [
    ['an invalid key, then an extension', MAIN_DID, ['9', '1'], { kind: 'extension', outcome: 'connected' }],
    ['no input twice: the timeout destination', MAIN_DID, ['timeout', 'timeout'], { kind: 'extension', outcome: 'connected' }],
    ['a nested menu that hangs up', MAIN_DID, ['3', '0'], { kind: 'hangup', outcome: 'ended_by_ivr' }],
    ['a nested menu without input until its retries run out (no timeout destination)', MAIN_DID, ['3', 'timeout', 'timeout'], { kind: 'hangup', outcome: 'no_input' }],
    ['direct dial with a #', MAIN_DID, ['1002#'], { kind: 'extension', outcome: 'connected' }],
    ['business hours closed: the after-hours menu', HOURS_DID, ['0'], { kind: 'hangup', outcome: 'ended_by_ivr' }],
  ];

  for (const [title, did, keys, end] of flows) {
    it(`${title} (${keys.join(', ')}): the same path, outcome, left_at and prompts`, async () => {
      const { log, sim, prompts } = await both(did, { keys, at: CLOSED });
      expect(untimed(sim.ivrPath as never)).toEqual(untimed(log.path as never));
      expect(sim.end).toMatchObject(end);
      expect({ outcome: sim.end.outcome, leftAt: sim.end.leftAt }).toEqual({ outcome: log.disposition, leftAt: log.leftAt });
      expect(prompts.length).toBeGreaterThan(0);
      expect(sim.events.filter((e) => e.type === 'prompt').map((e) => e.file)).toEqual(prompts);
      expect(sim.unusedKeys).toEqual([]);
    });
  }
});
