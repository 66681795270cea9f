/**
 * The call controller's metrics against the emulator (real ESL bytes): a caller presses 0 in a menu that
 * hangs up. The call is counted by outcome, its setup time and its keys → next command are observed once
 * each, and FreeSWITCH's connection is counted; GET /metrics serves the same registry.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startController, type ControllerHarness } from '../helpers/controller.ts';

const DID = '+918065978001';
let h: ControllerHarness;

beforeEach(async () => {
  h = await startController({ metrics: true, env: { METRICS_TOKEN: 'metrics-token-0123456789abcdef' } });
  const ivr = await h.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Main', extension: '7001', timeout: 1, max_retries: 1 });
  await h.req('PUT', `/api/v1/ivrs/${ivr.id}/menu`, { options: [{ digit: '0', action_type: 'hangup', action_destination: null }] });
  const did = await h.req<{ id: string }>('POST', '/api/v1/dids', { number: DID, assign: true });
  await h.req('PUT', `/api/v1/dids/${did.id}`, { routing_type: 'ivr', routing_destination: ivr.id });
  await h.req('POST', `/api/v1/ivrs/${ivr.id}/publish`);
});
afterEach(async () => {
  await h.close();
});

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('call metrics', () => {
  it('a menu call that ends with 0: calls_total{ended_by_ivr}, one setup time, one keys → next command', async () => {
    const before = await h.metrics!.render();
    expect(sample(before, 'switchboard_calls_total{outcome="ended_by_ivr"}')).toBe(0);
    expect(sample(before, 'switchboard_call_setup_seconds_count')).toBe(0);

    const call = h.emu.placeCall({
      destination: '918065978001', callerIdNumber: '9800000001',
      script: { steps: [{ when: { onApp: 'play_and_get_digits', afterMs: 5 }, do: { kind: 'dtmf', digits: '0' } }] },
    });
    const summary = await call.done;
    await h.settle();
    expect((await h.callLog(summary.uuid)).disposition).toBe('ended_by_ivr');

    const res = await h.api.call('GET', '/metrics', { token: 'metrics-token-0123456789abcdef' });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(sample(text, 'switchboard_calls_total{outcome="ended_by_ivr"}')).toBe(1);
    expect(sample(text, 'switchboard_calls_total{outcome="abandoned"}')).toBe(0);
    expect(sample(text, 'switchboard_call_setup_seconds_count')).toBe(1);
    // Accepted → first command: the emulator is local, so well under a second (bounded to catch a wrong clock).
    const setupSum = sample(text, 'switchboard_call_setup_seconds_sum')!;
    expect(setupSum).toBeGreaterThan(0);
    expect(setupSum).toBeLessThan(1);
    expect(sample(text, 'switchboard_dtmf_to_command_seconds_count')).toBe(1);
    expect(sample(text, 'switchboard_dtmf_to_command_seconds_sum')).toBeLessThan(1);
    expect(sample(text, 'switchboard_esl_outbound_connections_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'switchboard_calls_active')).toBe(0);
  });
});
