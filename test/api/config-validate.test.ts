import { afterEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { locateProblem } from '../../src/services/publishing/validate.ts';
import { addOption, seedValid } from '../publish/seed-async.ts';

let api: AsyncTestApi;
afterEach(async () => {
  const open = api as AsyncTestApi | undefined;
  api = undefined as unknown as AsyncTestApi; // a test that opens none must not close the previous one again
  await open?.close();
});

interface Report {
  ok: boolean;
  problems: Array<{ code: string; path: string; ivr_id: string | null; option: string | null; field: string | null; section: string }>;
  warnings: Array<{ code: string; path: string; ivr_id: string | null; field: string | null }>;
}

describe('POST /api/v1/config/validate', () => {
  it('reports what publish would, located on the IVR and option, and writes no version', async () => {
    api = await openTestApi();
    const org = await api.org();
    const { ivr } = await seedValid(api.deps.adb, org.orgId);
    await addOption(api.deps.adb, org.orgId, ivr.id, '3', 'extension', '1999');

    const res = await api.call('POST', '/api/v1/config/validate', { token: org.token });
    expect(res.status).toBe(200);
    const report = (await res.json()) as Report;
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'dangling_reference', path: `ivrs.${ivr.id}.options.3`, section: 'ivrs', ivr_id: ivr.id, option: '3', field: 'options.3' }),
    ]);
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'no_greeting', ivr_id: ivr.id, field: 'greeting' }));

    // The same problems as publish's 422, and nothing written by either.
    const publish = await api.call('POST', `/api/v1/ivrs/${ivr.id}/publish`, { token: org.token });
    expect(publish.status).toBe(422);
    const details = ((await publish.json()) as { details: { problems: Array<{ path: string; message: string }> } }).details;
    expect(details.problems.map((p) => [p.path, p.message])).toEqual(report.problems.map((p) => [p.path, (p as unknown as { message: string }).message]));
    expect(await api.deps.adb.select().from(api.deps.adb.t.configSnapshots)).toHaveLength(0);
  });

  it('ok once fixed; a read-only key may validate; no credentials is a 401', async () => {
    api = await openTestApi();
    const org = await api.org();
    await seedValid(api.deps.adb, org.orgId);
    const key = ((await (await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'ro', permissions: ['*.read'] } })).json()) as { key: string }).key;
    const res = await api.call('POST', '/api/v1/config/validate', { apiKey: key });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Report).ok).toBe(true);
    expect((await api.call('POST', '/api/v1/config/validate')).status).toBe(401);
  });

  it('locates findings that are not about an IVR by section and object', () => {
    expect(locateProblem({ code: 'did_unrouted', message: 'm', path: 'dids.+918065978001' })).toMatchObject({
      section: 'dids', object_id: '+918065978001', ivr_id: null, option: null, field: null,
    });
    expect(locateProblem({ code: 'x', message: 'm', path: 'ivrs.abc.timeout_destination' })).toMatchObject({ ivr_id: 'abc', option: null, field: 'timeout_destination' });
    expect(locateProblem({ code: 'x', message: 'm', path: 'switch' })).toMatchObject({ section: 'switch', object_id: null, field: null });
  });
});
