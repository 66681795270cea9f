import { afterEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import type { SwitchControl } from '../../src/publish/callcenter.ts';
import { addOption, seedValid } from '../publish/seed-async.ts';

let api: AsyncTestApi;
afterEach(async () => {
  const open = api as AsyncTestApi | undefined;
  api = undefined as unknown as AsyncTestApi; // a test that opens none must not close the previous one again
  await open?.close();
});

function recordingSwitch(result: () => Promise<{ applied: boolean; errors: string[] }> = async () => ({ applied: true, errors: [] })) {
  const calls: Parameters<SwitchControl['applyPublished']>[0][] = [];
  const control: SwitchControl = { applyPublished: async (input) => { calls.push(input); return result(); } };
  return { control, calls };
}

async function apiKey(token: string, permissions: string[]): Promise<string> {
  const res = await api.call('POST', '/api/v1/api-keys', { token, body: { name: 'k', permissions } });
  return ((await res.json()) as { key: string }).key;
}

describe('POST /api/v1/ivrs/{id}/publish', () => {
  it('200: publishes, applies queues to the switch; publishing again is unchanged', async () => {
    const sw = recordingSwitch();
    api = await openTestApi({ switchControl: sw.control });
    const org = await api.org('Acme');
    const { ivr } = await seedValid(api.deps.adb, org.orgId);
    const res = await api.call('POST', `/api/v1/ivrs/${ivr.id}/publish`, { token: org.token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      success: true, message: 'Configuration deployed for organization Acme', version: 1, changed: true,
      warnings: [{ code: 'no_greeting', message: 'IVR "Main" has no generated greeting: a tone plays instead', path: `ivrs.${ivr.id}.greeting` }],
    });
    expect(sw.calls[0]).toMatchObject({ queueNames: [`5001@${org.sipDomain}`], removedQueueNames: [] });
    expect(sw.calls[0]!.tiers).toEqual([{ queue: `5001@${org.sipDomain}`, agent: `1001@${org.sipDomain}`, level: 1, position: 1 }]);

    const again = await api.call('POST', `/api/v1/ivrs/${ivr.id}/publish`, { token: org.token });
    expect(await again.json()).toMatchObject({ version: 1, changed: false });
  });

  it('200 even when the switch fails: its errors become warnings', async () => {
    const sw = recordingSwitch(async () => { throw new Error('ESL not connected'); });
    api = await openTestApi({ switchControl: sw.control });
    const org = await api.org();
    const { ivr } = await seedValid(api.deps.adb, org.orgId);
    const res = await api.call('POST', `/api/v1/ivrs/${ivr.id}/publish`, { token: org.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { warnings: { code: string; message: string }[] };
    expect(body.warnings).toContainEqual({ code: 'switch_error', message: 'FreeSWITCH: ESL not connected', path: 'switch' });
  });

  it('422 lists every problem and writes nothing', async () => {
    const sw = recordingSwitch();
    api = await openTestApi({ switchControl: sw.control });
    const org = await api.org();
    const { ivr } = await seedValid(api.deps.adb, org.orgId);
    await addOption(api.deps.adb, org.orgId, ivr.id, '3', 'extension', '1999');
    await addOption(api.deps.adb, org.orgId, ivr.id, '4', 'queue', '5999');
    const res = await api.call('POST', `/api/v1/ivrs/${ivr.id}/publish`, { token: org.token });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: string; code: string; details: { problems: { path: string }[]; warnings: unknown[] } };
    expect(body.error).toBe('Configuration has 2 problem(s); nothing was published');
    expect(body.code).toBe('unprocessable');
    expect(body.details.problems.map((p) => p.path)).toEqual([`ivrs.${ivr.id}.options.3`, `ivrs.${ivr.id}.options.4`]);
    expect(body.details.warnings).toHaveLength(1);
    expect(await api.deps.adb.select().from(api.deps.adb.t.configSnapshots)).toEqual([]);
    expect(await api.deps.adb.select().from(api.deps.adb.t.liveDids)).toEqual([]);
    expect(sw.calls).toEqual([]);
  });

  it('404 for an unknown IVR and for another organization\'s IVR; 401 without credentials', async () => {
    api = await openTestApi();
    const a = await api.org();
    const b = await api.org();
    const { ivr } = await seedValid(api.deps.adb, a.orgId);
    const cross = await api.call('POST', `/api/v1/ivrs/${ivr.id}/publish`, { token: b.token });
    expect(cross.status).toBe(404);
    expect(await cross.json()).toEqual({ error: 'IVR not found', code: 'not_found' });
    expect((await api.call('POST', '/api/v1/ivrs/2d7a59e9-4304-4032-a0c1-f8df2429751c/publish', { token: a.token })).status).toBe(404);
    expect(await api.deps.adb.select().from(api.deps.adb.t.configSnapshots)).toEqual([]);
    expect((await api.call('POST', `/api/v1/ivrs/${ivr.id}/publish`)).status).toBe(401);
  });

  it('403 for an API key without ivr.write', async () => {
    api = await openTestApi();
    const org = await api.org();
    const { ivr } = await seedValid(api.deps.adb, org.orgId);
    const key = await apiKey(org.token, ['ivr.read']);
    const res = await api.call('POST', `/api/v1/ivrs/${ivr.id}/publish`, { apiKey: key });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'forbidden', details: { missing_permission: 'ivr.write' } });
    const writer = await apiKey(org.token, ['ivr.*']);
    expect((await api.call('POST', `/api/v1/ivrs/${ivr.id}/publish`, { apiKey: writer })).status).toBe(200);
  });
});

describe('GET /api/v1/config/versions', () => {
  it('lists versions newest first with what changed, and returns one snapshot', async () => {
    api = await openTestApi();
    const org = await api.org();
    const { ivr } = await seedValid(api.deps.adb, org.orgId);
    await api.call('POST', `/api/v1/ivrs/${ivr.id}/publish`, { token: org.token });
    await addOption(api.deps.adb, org.orgId, ivr.id, '0', 'hangup', null);
    await api.call('POST', `/api/v1/ivrs/${ivr.id}/publish`, { token: org.token });

    const list = await api.call('GET', '/api/v1/config/versions', { token: org.token });
    expect(list.status).toBe(200);
    const versions = (await list.json()) as Array<Record<string, unknown>>;
    expect(versions.map((v) => [v.version, v.changed, v.published_by])).toEqual([
      [2, ['ivrs'], org.userId],
      [1, ['org', 'ivrs', 'extensions', 'queues', 'agents', 'dids'], org.userId],
    ]);
    expect(versions[0]).toEqual(expect.objectContaining({ createdAt: expect.any(String), content_hash: expect.stringMatching(/^[0-9a-f]{64}$/) }));
    expect(((await (await api.call('GET', '/api/v1/config/versions?limit=1', { token: org.token })).json()) as unknown[]).length).toBe(1);

    const one = await api.call('GET', '/api/v1/config/versions/1', { token: org.token });
    expect(one.status).toBe(200);
    const snap = (await one.json()) as { version: number; orgId: string; ivrs: Record<string, { options: object }> };
    expect(snap).toMatchObject({ version: 1, orgId: org.orgId });
    expect(Object.keys(snap.ivrs[ivr.id]!.options)).toEqual(['1', '2']);
  });

  it('400 for a bad version or limit, 404 for a missing or another org\'s version, 401/403', async () => {
    api = await openTestApi();
    const a = await api.org();
    const b = await api.org();
    const { ivr } = await seedValid(api.deps.adb, a.orgId);
    await api.call('POST', `/api/v1/ivrs/${ivr.id}/publish`, { token: a.token });
    expect((await api.call('GET', '/api/v1/config/versions/abc', { token: a.token })).status).toBe(400);
    expect((await api.call('GET', '/api/v1/config/versions?limit=0', { token: a.token })).status).toBe(400);
    expect((await api.call('GET', '/api/v1/config/versions/2', { token: a.token })).status).toBe(404);
    const cross = await api.call('GET', '/api/v1/config/versions/1', { token: b.token });
    expect(cross.status).toBe(404);
    expect(await cross.json()).toEqual({ error: 'Configuration version 1 not found', code: 'not_found' });
    expect(await (await api.call('GET', '/api/v1/config/versions', { token: b.token })).json()).toEqual([]);
    expect((await api.call('GET', '/api/v1/config/versions')).status).toBe(401);
    const key = await apiKey(a.token, ['did.read']);
    const denied = await api.call('GET', '/api/v1/config/versions', { apiKey: key });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ details: { missing_permission: 'ivr.read' } });
    expect((await api.call('GET', '/api/v1/config/versions/1', { apiKey: key })).status).toBe(403);
    const reader = await apiKey(a.token, ['ivr.read']);
    expect((await api.call('GET', '/api/v1/config/versions/1', { apiKey: reader })).status).toBe(200);
  });
});
