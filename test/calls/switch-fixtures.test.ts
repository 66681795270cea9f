/**
 * The emulator learns from the switch: each fixture in test/switch/fixtures/ is one call's ESL bytes,
 * captured between the real FreeSWITCH 1.10.12 and this controller by the switch-backed suite
 * (`SWITCH_CAPTURE_DIR=… npx vitest run test/switch`); a call that moved to a second, async socket
 * (queues) has its `<case>.async.jsonl` companion. The same controller runs the same scenario against
 * the emulator here, and both sides must agree socket by socket: the frames FreeSWITCH sent (events
 * with their application, replies, notices, in order) and the commands the controller sent back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallerScript } from '../emulator/caller-script.ts';
import { callSignature, loadCallCaptures, recordedChunks } from '../switch/fixture-signature.ts';
import { startController, type ControllerHarness } from '../helpers/controller.ts';

const FIXTURES = resolve(import.meta.dirname, '../switch/fixtures');

const dtmf = (digits: string, afterMs = 30) => ({ when: { onApp: 'play_and_get_digits', afterMs }, do: { kind: 'dtmf' as const, digits } });

interface Case {
  fixture: string;
  what: string;
  did: 'ivr' | 'extension';
  script: CallerScript;
}

const CASES: Case[] = [
  {
    fixture: 'ivr-key1-extension-answers.jsonl',
    what: 'key 1 → the extension answers; the talk ends inside the bridge (hangup_after_bridge): HANGUP before the bridge completes',
    did: 'ivr',
    script: { steps: [dtmf('1')], bridge: 'answer', bridgeRingMs: 50, bridgeTalkMs: 100 },
  },
  {
    fixture: 'did-extension-answers.jsonl',
    what: 'a DID straight to an extension: the bridge answers the caller',
    did: 'extension',
    script: { bridge: 'answer', bridgeRingMs: 50, bridgeTalkMs: 100 },
  },
  {
    fixture: 'ivr-key4-queue-agent-answers.jsonl',
    what: 'key 4 → queue on a second socket, the agent answers: both socket apps complete, exit on the first at once, the second sees the hangup',
    did: 'ivr',
    script: { steps: [dtmf('4')], callcenterAgent: { extension: '1004', answerAfterMs: 50, talkMs: 150 } },
  },
  {
    fixture: 'ivr-key5-queue-caller-hangs-up.jsonl',
    what: 'key 5 → queue on a second socket with no agent, the caller hangs up while waiting: both sockets see it',
    did: 'ivr',
    script: { steps: [dtmf('5'), { when: { onApp: 'callcenter', afterMs: 100 }, do: { kind: 'hangup' } }] },
  },
  {
    fixture: 'ivr-key2-busy-voicemail.jsonl',
    what: 'key 2 → busy → voicemail: greeting, beep, record; the caller hangs up while recorded',
    did: 'ivr',
    script: { steps: [dtmf('2'), { when: { onApp: 'record', afterMs: 30 }, do: { kind: 'hangup' } }], bridge: 'busy' },
  },
];

let h: ControllerHarness | undefined;
let dir: string | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The switch suite's organization: the same extensions, queues, menu and DID routing. */
async function world(route: Case['did']): Promise<ControllerHarness> {
  dir = mkdtempSync(join(tmpdir(), 'fixtures-'));
  const c = await startController({ recordingsDir: dir });
  for (const [number, vm] of [['1001', false], ['1002', true], ['1003', false], ['1004', false]] as const) {
    await c.req('POST', '/api/v1/extensions', { number, name: `Ext ${number}`, voicemail_enabled: vm });
  }
  await c.req('POST', '/api/v1/queues', { number: '5001', name: 'Sales', agents: [{ extension: '1004' }], max_wait_time: 30 });
  await c.req('POST', '/api/v1/queues', { number: '5002', name: 'Empty', agents: [], max_wait_time: 3 });
  const main = await c.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Main Menu', extension: '7001', timeout: 3, max_retries: 2 });
  await c.req('PUT', `/api/v1/ivrs/${main.id}/menu`, {
    options: [
      { digit: '1', action_type: 'extension', action_destination: '1001' },
      { digit: '2', action_type: 'extension', action_destination: '1002' },
      { digit: '4', action_type: 'queue', action_destination: '5001' },
      { digit: '5', action_type: 'queue', action_destination: '5002' },
    ],
  });
  await c.req('POST', `/api/v1/ivrs/${main.id}/generate-greeting`, { text: 'Welcome.' });
  await c.req('POST', `/api/v1/ivrs/${main.id}/publish`);
  const did = await c.req<{ id: string }>('POST', '/api/v1/dids', { number: '+918065978001', assign: true });
  await c.req('PUT', `/api/v1/dids/${did.id}`, route === 'ivr' ? { routing_type: 'ivr', routing_destination: main.id } : { routing_type: 'extension', routing_destination: '1001' });
  return c;
}

describe('the emulator agrees with the captured real switch', () => {
  for (const k of CASES) {
    it(`${k.fixture}: ${k.what}`, async () => {
      const real = callSignature(loadCallCaptures(join(FIXTURES, k.fixture)));
      h = await world(k.did);
      const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '+919845000001', script: k.script });
      await call.done;
      await h.settle();
      const ours = callSignature(call.sockets.map((s) => recordedChunks(s.recorder)));
      expect(ours).toHaveLength(real.length);
      ours.forEach((socket, i) => {
        expect(socket.frames, `socket ${i + 1}: frames`).toEqual(real[i]!.frames);
        expect(socket.commands, `socket ${i + 1}: commands`).toEqual(real[i]!.commands);
      });
    });
  }
});
