/**
 * Live calls pushed from the server (call events on the bus, and an open call log row of another instance),
 * and the call logs: filters, the path through the menus, the recording played in the page, notes.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../src/media/wav.ts';
import { addIvr } from '../publish/seed-async.ts';
import { CHROMIUM, shotOnFailure, startConsole, type ConsoleUnderTest } from './harness.ts';

describe.skipIf(!CHROMIUM)('calls in the console', () => {
  let c: ConsoleUnderTest;
  beforeAll(async () => { c = await startConsole(); });
  afterAll(async () => { await c?.close(); });

  /** A call log row as the call controller writes it. */
  const logRow = (o: { caller: string; started: string; ended?: boolean; type?: string; path?: unknown[]; dtmf?: string }): string => {
    const id = randomUUID();
    const ended = o.ended === false ? null : new Date(Date.parse(o.started) + 95_000).toISOString();
    c.api.database.sqlite
      .prepare(`insert into call_logs (id, call_uuid, org_id, direction, did, caller, started_at, answered_at, ended_at, duration_s, path, dtmf, disposition, left_at, created_at)
        values (?, ?, ?, ?, '+918065978001', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, `uuid-${id}`, c.org.orgId, o.type ?? 'inbound', o.caller, o.started, ended ? o.started : null, ended, ended ? 95 : null,
        JSON.stringify(o.path ?? []), o.dtmf ?? '', ended ? 'connected' : null, ended ? 'talk' : null, o.started);
    return id;
  };

  it('live calls: a call on this instance as its events come, one on another instance from its open row', async () => {
    shotOnFailure(() => c, 'live');
    const { page } = c;
    const ivr = await addIvr(c.api.deps.adb, c.org.orgId, '7001', { name: 'Main menu' });
    const sales = await addIvr(c.api.deps.adb, c.org.orgId, '7002', { name: 'Sales menu' });
    await c.login();
    await page.getByRole('link', { name: 'Live calls' }).click();
    await page.getByText('Live', { exact: true }).waitFor();
    await page.getByText('No calls right now.').waitFor();

    const at = () => new Date().toISOString();
    const call = { callId: 'call-live-1', orgId: c.org.orgId };
    c.bus.emit({ ...call, type: 'call.ringing', did: '+918065978001', caller: '+919944421125', contact: { id: 'k1', name: 'Asha Rao', variables: {} }, at: at() });
    await page.getByRole('cell', { name: 'Asha Rao (+919944421125)' }).waitFor();
    c.bus.emit({ ...call, type: 'call.answered', at: at() });
    c.bus.emit({ ...call, type: 'call.dtmf', digits: '2', at: at() });
    c.bus.emit({ ...call, type: 'ivr.selection', ivrId: ivr.id, digits: '2', action: 'ivr', destination: sales.id, at: at() });
    await page.getByRole('cell', { name: /^Sales menu, pressed 2 → ivr/ }).waitFor();
    c.bus.emit({ ...call, type: 'call.transferred', target: '5001@acme', kind: 'queue', at: at() });
    await page.getByRole('cell', { name: 'queue 5001@acme' }).waitFor();
    expect(await page.getByRole('cell', { name: 'Being connected' }).count()).toBe(1);

    // Another controller's call: only its row is in the shared database; the next snapshot brings it.
    logRow({ caller: '+14155550100', started: new Date(Date.now() - 20_000).toISOString(), ended: false });
    await page.getByRole('cell', { name: '+14155550100' }).waitFor();
    await page.getByRole('cell', { name: 'In progress (another controller)' }).waitFor();
    await c.shot('live-calls');

    c.bus.emit({ ...call, type: 'call.hangup', cause: 'NORMAL_CLEARING', disposition: 'connected', at: at() });
    await expect.poll(() => page.getByRole('cell', { name: 'Asha Rao (+919944421125)' }).count()).toBe(0);

    // Leaving the screen closes the stream: the server drops its listener.
    await page.getByRole('link', { name: 'Call logs' }).click();
    await expect.poll(() => c.tracker.listenerCount()).toBe(0);
  });

  it('call logs: filters, the path taken, the recording played in the page, a note with a disposition', async () => {
    shotOnFailure(() => c, 'call-logs');
    const { page } = c;
    const first = logRow({
      caller: '+919876543210', started: '2026-03-02T10:00:00.000Z', dtmf: '1',
      path: [{ step: 'menu', ivr: 'Main menu' }, { step: 'dtmf', digits: '1' }, { step: 'action', type: 'extension', value: '1001' }],
    });
    logRow({ caller: '+919811111111', started: '2026-03-03T10:00:00.000Z' });
    logRow({ caller: '+919822222222', started: '2026-03-04T10:00:00.000Z', type: 'click_to_call' });
    const wav = join(c.api.dataDir, 'rec.wav');
    writeFileSync(wav, encodeWav(new Int16Array(8000), 8000));
    const recordingId = randomUUID();
    c.api.database.sqlite.prepare('insert into call_recordings (id, org_id, call_id, path, created_at) values (?, ?, ?, ?, ?)').run(recordingId, c.org.orgId, first, wav, '2026-03-02T10:02:00.000Z');

    await page.getByRole('link', { name: 'Call logs' }).click();
    await page.getByLabel('From', { exact: true }).fill('2026-03-01');
    await page.getByLabel('To', { exact: true }).fill('2026-03-31');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('Calls 1–3 of 3').waitFor();
    await page.getByLabel('Type', { exact: true }).selectOption('click_to_call');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('Calls 1–1 of 1').waitFor();
    await page.getByLabel('Type', { exact: true }).selectOption('');
    await page.getByLabel('Phone number').fill('09876543210');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('Calls 1–1 of 1').waitFor();
    await c.shot('call-logs');

    const recording = page.waitForResponse((r) => r.url().includes(`/recordings/${recordingId}/download`));
    await page.getByRole('button', { name: /^Details of the call from \+919876543210/ }).click();
    await page.getByRole('heading', { name: 'Call from +919876543210 to +918065978001' }).waitFor();
    await page.getByText('action: type extension, value 1001').waitFor();
    const res = await recording;
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('audio/wav');

    await page.getByLabel('Disposition', { exact: true }).selectOption('Interested');
    await page.getByLabel('Note').fill('Wants a callback on Monday');
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.getByRole('cell', { name: 'Wants a callback on Monday' }).waitFor();
    await c.shot('call-detail');
    const notes = await c.request<Array<{ disposition: string; note: string }>>('GET', `/api/v1/call-logs/${first}/notes`);
    expect(notes.body).toEqual([expect.objectContaining({ disposition: 'Interested', note: 'Wants a callback on Monday' })]);
  });
});
