/** Recording inbound calls bridged to a person (CallSettings.recordingsDir), through the emulator. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startController, type ControllerHarness } from '../helpers/controller.ts';

const DID = '+918065978001';
let h: ControllerHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup(options: Parameters<typeof startController>[0]): Promise<ControllerHarness> {
  const c = await startController(options);
  await c.req('POST', '/api/v1/extensions', { number: '1001', name: 'Asha' });
  await c.req('POST', '/api/v1/queues', { number: '5001', name: 'Sales', agents: [{ extension: '1001' }] });
  const main = await c.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Main', extension: '7001', timeout: 1, max_retries: 1 });
  await c.req('PUT', `/api/v1/ivrs/${main.id}/menu`, {
    options: [
      { digit: '1', action_type: 'extension', action_destination: '1001' },
      { digit: '2', action_type: 'queue', action_destination: '5001' },
      { digit: '3', action_type: 'external', action_destination: '+919944421125' },
      { digit: '0', action_type: 'hangup', action_destination: null },
    ],
  });
  await c.req('POST', `/api/v1/ivrs/${main.id}/generate-greeting`, { text: 'Welcome' });
  const did = await c.req<{ id: string }>('POST', '/api/v1/dids', { number: DID, assign: true });
  await c.req('PUT', `/api/v1/dids/${did.id}`, { routing_type: 'ivr', routing_destination: main.id });
  await c.req('POST', `/api/v1/ivrs/${main.id}/publish`);
  return c;
}

const press = (digits: string) => ({ when: { onApp: 'play_and_get_digits', nth: 1, afterMs: 5 }, do: { kind: 'dtmf' as const, digits } });

async function callWith(c: ControllerHarness, digits: string, extra: Record<string, unknown> = {}) {
  const call = c.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', script: { steps: [press(digits)], bridge: 'answer', ...extra } });
  const summary = await call.done;
  await c.settle();
  const apps = call.recorder.commands().map((cmd) => /execute-app-name: (\S+)/.exec(cmd)?.[1]).filter(Boolean);
  const record = call.recorder.commands().find((cmd) => cmd.includes('execute-app-name: record_session'));
  return { log: await c.callLog(summary.uuid), apps, record };
}

describe('recording inbound calls', () => {
  it('an extension call is recorded before the bridge; listed and downloadable by its call log id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-rec-'));
    h = await setup({ recordingsDir: dir });
    const { log, apps, record } = await callWith(h, '1');
    const path = join(dir, h.org.orgId, `${log.id}.wav`);
    expect(record).toContain(`execute-app-arg: ${path}`);
    expect(apps.indexOf('record_session')).toBeLessThan(apps.indexOf('bridge'));
    expect(apps.filter((a) => a === 'record_session')).toHaveLength(1);
    const list = await h.req<Array<{ id: string; call_id: string; url: string }>>('GET', `/api/v1/calls/${log.id}/recordings`);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ call_id: log.id });
    expect(list[0]!.url).toContain(`/api/v1/calls/${log.id}/recordings/${list[0]!.id}/download`);
    const logs = await h.req<{ calls: Array<{ id: string; recording_url: string | null }> }>('GET', '/api/v1/call-logs');
    expect(logs.calls.find((c) => c.id === log.id)?.recording_url).toContain(list[0]!.id);

    // FreeSWITCH writes the file; the API serves it.
    writeFileSync(path, 'RIFF-fake-wav');
    const dl = await h.api.call('GET', `/api/v1/calls/${log.id}/recordings/${list[0]!.id}/download`, { token: h.org.token });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('audio/wav');
    expect(await dl.text()).toBe('RIFF-fake-wav');
    const other = await h.api.org('Other');
    expect((await h.api.call('GET', `/api/v1/calls/${log.id}/recordings/${list[0]!.id}/download`, { token: other.token })).status).toBe(404);
  });

  it('queue, external and masked calls are recorded; a call that reaches nobody is not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-rec-'));
    h = await setup({ recordingsDir: dir, masking: true });
    const queue = await callWith(h, '2', { steps: [press('2'), { when: { onApp: 'callcenter', afterMs: 20 }, do: { kind: 'hangup' } }] });
    expect(queue.apps.indexOf('record_session')).toBeLessThan(queue.apps.indexOf('callcenter'));
    const external = await callWith(h, '3');
    expect(external.apps.indexOf('record_session')).toBeLessThan(external.apps.indexOf('bridge'));
    const hangup = await callWith(h, '0');
    expect(hangup.record).toBeUndefined();

    const { adb } = h.api.deps;
    await adb.insert(adb.t.maskingSessions).values({
      id: randomUUID(), orgId: h.org.orgId, did: DID, firstPhone: '+919800000001', secondPhone: '+919944421126',
      firstMasked: '+9198******01', secondMasked: '+9199******26', status: 'active', createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
    });
    const masked = await callWith(h, '', { steps: [] });
    expect(masked.log.direction).toBe('masking');
    expect(masked.record).toContain(join(dir, h.org.orgId, `${masked.log.id}.wav`));
    expect(masked.apps.indexOf('record_session')).toBeLessThan(masked.apps.indexOf('bridge'));

    const rows = await adb.select({ callId: adb.t.callRecordings.callId }).from(adb.t.callRecordings);
    expect(rows.map((r) => r.callId).sort()).toEqual([queue.log.id, external.log.id, masked.log.id].sort());
  });

  it('off unless a directory is set', async () => {
    h = await setup({});
    const { record, log } = await callWith(h, '1');
    expect(record).toBeUndefined();
    expect(await h.req<unknown[]>('GET', `/api/v1/calls/${log.id}/recordings`)).toEqual([]);
  });
});
