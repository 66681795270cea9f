/**
 * ESL bytes per call, per scenario: the real controller (startController) against the test emulator,
 * whose recorder keeps every byte both ways, beside the real FreeSWITCH transcript of the same scenario.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startController } from '../test/helpers/controller.ts';
import type { CallerScript } from '../test/emulator/index.ts';

const TRANSCRIPTS = resolve(process.cwd(), '../shared/esl-transcripts');
const DID = '+918065978001';

export interface ScenarioBytes {
  readonly scenario: string;
  readonly transcript: string;
  /** FreeSWITCH → controller (`in`) and controller → FreeSWITCH (`out`). */
  readonly oursIn: number;
  readonly oursOut: number;
  readonly fsIn: number;
  readonly fsOut: number;
  readonly hangupCause: string | undefined;
}

/** Sum of `len` per direction in a transcript .jsonl. */
export function transcriptBytes(prefix: string): { file: string; in: number; out: number } {
  const file = readdirSync(TRANSCRIPTS).find((f) => f.startsWith(prefix) && f.endsWith('.jsonl'));
  if (!file) throw new Error(`no transcript ${prefix}*.jsonl in ${TRANSCRIPTS}`);
  let inBytes = 0;
  let outBytes = 0;
  for (const line of readFileSync(join(TRANSCRIPTS, file), 'utf8').split('\n')) {
    if (!line) continue;
    const c = JSON.parse(line) as { dir: string; len?: number };
    if (c.dir === 'in') inBytes += c.len ?? 0;
    else if (c.dir === 'out') outBytes += c.len ?? 0;
  }
  return { file, in: inBytes, out: outBytes };
}

const dtmf = (digits: string, nth = 1, afterMs = 5) => ({ when: { onApp: 'play_and_get_digits', nth, afterMs }, do: { kind: 'dtmf' as const, digits } });

/** Scenario → transcript prefix and the emulated caller's behaviour (the transcripts' callers). */
const SCENARIOS: ReadonlyArray<{ name: string; transcript: string; script: CallerScript }> = [
  { name: 'no input (3 timeouts)', transcript: 'call-a_nodtmf', script: {} },
  { name: 'key 1 → bridge', transcript: 'call-b_dtmf1', script: { steps: [dtmf('1')], bridge: 'answer' } },
  { name: 'invalid 9, then 4 → hangup (simple IVR call)', transcript: 'call-c_invalid9_then4', script: { steps: [dtmf('9'), dtmf('4', 2)] } },
  {
    name: 'hangup during greeting',
    transcript: 'call-d_bye_during_pagd',
    script: { steps: [{ when: { onApp: 'play_and_get_digits', afterMs: 2 }, do: { kind: 'hangup' } }] },
  },
  {
    name: 'key 2 → queue, caller leaves',
    transcript: 'call-f_callcenter',
    script: { steps: [dtmf('2'), { when: { onApp: 'callcenter', afterMs: 30 }, do: { kind: 'hangup' } }] },
  },
];

export const SIMPLE_IVR_SCENARIO = SCENARIOS[2]!.name;

async function within<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not done in ${ms} ms`)), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** One IVR like the transcripts' (3 tries, [1-4] style keys): 1 → extension, 2 → queue, 4 → hangup. */
export async function measureScenarioBytes(): Promise<ScenarioBytes[]> {
  const h = await startController();
  try {
    await h.req('POST', '/api/v1/extensions', { number: '1001', name: 'Asha', voicemail_enabled: false });
    await h.req('POST', '/api/v1/queues', { number: '5001', name: 'Sales', agents: [{ extension: '1001' }] });
    const main = await h.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Main', extension: '7001', timeout: 1, max_retries: 3 });
    await h.req('PUT', `/api/v1/ivrs/${main.id}/menu`, {
      options: [
        { digit: '1', action_type: 'extension', action_destination: '1001' },
        { digit: '2', action_type: 'queue', action_destination: '5001' },
        { digit: '4', action_type: 'hangup', action_destination: null },
      ],
    });
    const did = await h.req<{ id: string }>('POST', '/api/v1/dids', { number: DID, assign: true });
    await h.req('PUT', `/api/v1/dids/${did.id}`, { routing_type: 'ivr', routing_destination: main.id });
    await h.req('POST', `/api/v1/ivrs/${main.id}/publish`);

    const calls = SCENARIOS.map((s) => ({ s, call: h.emu.placeCall({ destination: DID.slice(1), callerIdNumber: '9800000001', script: s.script }) }));
    const summaries = await within('scenario calls', Promise.all(calls.map((c) => c.call.done)), 30_000);
    await within('controller idle', h.server.idle(), 10_000);
    return calls.map(({ s, call }, i) => {
      const t = transcriptBytes(s.transcript);
      return {
        scenario: s.name,
        transcript: t.file.replace(/\.jsonl$/, ''),
        oursIn: call.recorder.bytes('in').length,
        oursOut: call.recorder.bytes('out').length,
        fsIn: t.in,
        fsOut: t.out,
        hangupCause: summaries[i]?.hangupCause,
      };
    });
  } finally {
    await within('controller close', h.close(), 10_000).catch(() => undefined);
  }
}
