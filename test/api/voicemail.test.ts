import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';
import { timeOrderedUuid } from '../../src/db/time-ordered-id.ts';
import { saveMessage } from '../../src/services/voicemail/messages.ts';
import { encodeWav } from '../../src/media/wav.ts';
import { decodeWav } from '../../src/media/wav.ts';

let api: AsyncTestApi;
beforeEach(async () => {
  api = await openTestApi();
});
afterEach(() => api.close());

type Message = { id: string; extension: string; caller: string | null; did: string | null; call_log_id: string | null; duration_ms: number; heard: boolean; audio_url: string; createdAt: string };
type Page = { messages: Message[]; total: number; limit: number; offset: number };
type Err = { error: string; code: string; details?: { fields?: { field: string }[]; missing_permission?: string } };

async function keyWith(org: TestOrg, permissions: string[]): Promise<string> {
  const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions } });
  return ((await res.json()) as { key: string }).key;
}

/** Messages are stored by the call controller; tests store them through the same service, with a real wav. */
async function leave(orgId: string, extension: string, minute: number, caller = '+919900000001'): Promise<{ id: string; path: string; wav: Buffer }> {
  const id = timeOrderedUuid(Date.UTC(2026, 3, 23, 10, minute));
  const dir = join(api.dataDir, 'voicemail', orgId);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${id}.wav`);
  const wav = encodeWav(new Int16Array(8000).map((_, i) => Math.round(3000 * Math.sin(i / 3))), 8000);
  writeFileSync(path, wav);
  await saveMessage(api.deps.adb, {
    id, orgId, extension, callLogId: `call-${minute}`, caller, did: '+918065978001', path, durationMs: 1000 + minute,
    createdAt: `2026-04-23T10:${String(minute).padStart(2, '0')}:00.000Z`,
  });
  return { id, path, wav };
}

const list = async (org: TestOrg, query = '') => {
  const res = await api.call('GET', `/api/v1/voicemail${query}`, { token: org.token });
  return { res, json: (await res.json()) as Page & Err };
};

describe('GET /voicemail', () => {
  it("lists the org's messages newest first, with the call and the audio link", async () => {
    const a = await api.org();
    const b = await api.org();
    await leave(a.orgId, '1001', 1);
    const newest = await leave(a.orgId, '1002', 3, '+919900000003');
    await leave(a.orgId, '1001', 2);
    await leave(b.orgId, '1001', 9);
    const { res, json } = await list(a);
    expect(res.status).toBe(200);
    expect(json).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(json.messages.map((m) => m.duration_ms)).toEqual([1003, 1002, 1001]);
    expect(json.messages[0]).toEqual({
      id: newest.id, extension: '1002', caller: '+919900000003', did: '+918065978001', call_log_id: 'call-3', duration_ms: 1003,
      heard: false, audio_url: `/api/v1/voicemail/${newest.id}/audio`, createdAt: '2026-04-23T10:03:00.000Z',
    });
  });

  it('filters by extension, call and heard, and pages', async () => {
    const org = await api.org();
    for (let i = 1; i <= 5; i++) await leave(org.orgId, i % 2 ? '1001' : '1002', i);
    const ext = await list(org, '?extension=1001');
    expect(ext.json.total).toBe(3);
    expect(ext.json.messages.every((m) => m.extension === '1001')).toBe(true);
    const byCall = await list(org, '?call_log_id=call-4');
    expect(byCall.json.messages.map((m) => m.duration_ms)).toEqual([1004]);
    const page = await list(org, '?limit=2&offset=2');
    expect(page.json).toMatchObject({ total: 5, limit: 2, offset: 2 });
    expect(page.json.messages.map((m) => m.duration_ms)).toEqual([1003, 1002]);

    const first = ext.json.messages[0]!;
    const patched = await api.call('PATCH', `/api/v1/voicemail/${first.id}`, { token: org.token, body: { heard: true } });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as Message).heard).toBe(true);
    expect((await list(org, '?heard=true')).json.messages.map((m) => m.id)).toEqual([first.id]);
    expect((await list(org, '?heard=false')).json.total).toBe(4);
  });

  it('400 for a bad extension, limit or heard', async () => {
    const org = await api.org();
    for (const q of ['?extension=abc', '?limit=0', '?limit=500', '?offset=-1', '?heard=maybe']) {
      const { res, json } = await list(org, q);
      expect(res.status, q).toBe(400);
      expect(json.code).toBe('validation_error');
    }
  });
});

describe('one message', () => {
  it('GET returns it; another organization gets 404 for every verb', async () => {
    const a = await api.org();
    const b = await api.org();
    const m = await leave(a.orgId, '1001', 1);
    const got = await api.call('GET', `/api/v1/voicemail/${m.id}`, { token: a.token });
    expect(got.status).toBe(200);
    expect(((await got.json()) as Message).id).toBe(m.id);
    for (const [method, path, body] of [
      ['GET', `/api/v1/voicemail/${m.id}`],
      ['GET', `/api/v1/voicemail/${m.id}/audio`],
      ['PATCH', `/api/v1/voicemail/${m.id}`, { heard: true }],
      ['DELETE', `/api/v1/voicemail/${m.id}`],
    ] as const) {
      const res = await api.call(method, path, { token: b.token, body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(((await res.json()) as Err).code).toBe('not_found');
    }
    expect(existsSync(m.path)).toBe(true);
    expect((await list(a)).json.total).toBe(1);
  });

  it('audio downloads the wav (also with ?token=); a file gone from disk is a 404', async () => {
    const org = await api.org();
    const m = await leave(org.orgId, '1001', 1);
    const res = await api.call('GET', `/api/v1/voicemail/${m.id}/audio`, { token: org.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(res.headers.get('content-length')).toBe(String(m.wav.length));
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(m.wav)).toBe(true);
    expect(decodeWav(bytes).sampleRate).toBe(8000);

    const viaQuery = await api.call('GET', `/api/v1/voicemail/${m.id}/audio?token=${org.token}`);
    expect(viaQuery.status).toBe(200);
    expect(Buffer.from(await viaQuery.arrayBuffer()).equals(m.wav)).toBe(true);

    rmSync(m.path);
    const gone = await api.call('GET', `/api/v1/voicemail/${m.id}/audio`, { token: org.token });
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as Err).error).toContain('missing on disk');
  });

  it('DELETE removes the row and the file', async () => {
    const org = await api.org();
    const m = await leave(org.orgId, '1001', 1);
    const keep = await leave(org.orgId, '1001', 2);
    const res = await api.call('DELETE', `/api/v1/voicemail/${m.id}`, { token: org.token });
    expect(res.status).toBe(204);
    expect(existsSync(m.path)).toBe(false);
    expect(existsSync(keep.path)).toBe(true);
    expect((await api.call('GET', `/api/v1/voicemail/${m.id}`, { token: org.token })).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/voicemail/${m.id}`, { token: org.token })).status).toBe(404);
    expect((await list(org)).json.messages.map((x) => x.id)).toEqual([keep.id]);
  });
});

describe('permissions', () => {
  it('voicemail.read lists and downloads but cannot delete; other grants see nothing', async () => {
    const org = await api.org();
    const m = await leave(org.orgId, '1001', 1);
    const reader = await keyWith(org, ['voicemail.read']);
    expect((await api.call('GET', '/api/v1/voicemail', { apiKey: reader })).status).toBe(200);
    expect((await api.call('GET', `/api/v1/voicemail/${m.id}/audio`, { apiKey: reader })).status).toBe(200);
    const del = await api.call('DELETE', `/api/v1/voicemail/${m.id}`, { apiKey: reader });
    expect(del.status).toBe(403);
    expect(((await del.json()) as Err).details?.missing_permission).toBe('voicemail.write');

    const other = await keyWith(org, ['ivr.*']);
    const denied = await api.call('GET', '/api/v1/voicemail', { apiKey: other });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as Err).details?.missing_permission).toBe('voicemail.read');

    const writer = await keyWith(org, ['voicemail.*']);
    expect((await api.call('DELETE', `/api/v1/voicemail/${m.id}`, { apiKey: writer })).status).toBe(204);
  });

  it('a member may mark and delete messages', async () => {
    const member = await api.org('Acme', 'member');
    const m = await leave(member.orgId, '1001', 1);
    expect((await api.call('PATCH', `/api/v1/voicemail/${m.id}`, { token: member.token, body: { heard: true } })).status).toBe(200);
    expect((await api.call('DELETE', `/api/v1/voicemail/${m.id}`, { token: member.token })).status).toBe(204);
  });
});
