import { afterEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { addDid, seedValid } from '../publish/seed-async.ts';
import { publish } from '../../src/publish/publish.ts';
import { numberMatcher, regionOf } from '../../src/services/numbers/regions.ts';

let current: AsyncTestApi | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

type Page = { numbers: Array<{ number: string; region: string }>; total: number };

describe('numbers: regions, search, purchase (the pool provider)', () => {
  it('derives regions from the pool\'s numbers', async () => {
    const api = (current = await openTestApi());
    const org = await api.org();
    for (const n of ['+918065978001', '+918065978002', '+911143104501', '+14155550100']) await addDid(api.deps.adb, null, n, null);
    await addDid(api.deps.adb, org.orgId, '+912212345678', null); // owned: not for sale
    const res = await api.call('GET', '/api/v1/numbers/regions', { token: org.token });
    expect(await res.json()).toEqual([
      { id: '1-41', country_code: '1', prefix: '41', name: '+1 41', available: 1 },
      { id: '91-11', country_code: '91', prefix: '11', name: 'Delhi', available: 1 },
      { id: '91-80', country_code: '91', prefix: '80', name: 'Bangalore', available: 2 },
    ]);
  });

  it('searches by region and pattern with paging', async () => {
    const api = (current = await openTestApi());
    const org = await api.org();
    for (const n of ['+918065978001', '+918065978002', '+918065974310', '+911143104501']) await addDid(api.deps.adb, null, n, null);
    const get = async (q: string) => (await (await api.call('GET', `/api/v1/numbers/available?${q}`, { token: org.token })).json()) as Page;
    expect((await get('region=91-80')).total).toBe(3);
    expect((await get('pattern=4310')).numbers.map((n) => n.number)).toEqual(['+911143104501', '+918065974310']);
    expect((await get('region=91-80&pattern=80659780*')).numbers.map((n) => n.number)).toEqual(['+918065978001', '+918065978002']);
    expect((await get('pattern=*002')).numbers.map((n) => n.number)).toEqual(['+918065978002']);
    const paged = await get('region=91-80&limit=1&offset=1');
    expect(paged).toMatchObject({ total: 3, numbers: [{ number: '+918065978001', region: '91-80' }] }); // by number: 974310 first
    expect((await api.call('GET', '/api/v1/numbers/available?pattern=abc', { token: org.token })).status).toBe(400);
  });

  it('purchase moves a pool number to the organization; taken or unknown numbers are refused', async () => {
    const api = (current = await openTestApi());
    const org = await api.org();
    const other = await api.org('Other');
    await addDid(api.deps.adb, null, '+918065978001', null);
    await addDid(api.deps.adb, other.orgId, '+918065978009', null);
    const res = await api.call('POST', '/api/v1/numbers/purchase', { token: org.token, body: { number: '08065978001' } });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ message: 'Number +918065978001 added to your organization', did: { number: '+918065978001' } });
    const dids = (await (await api.call('GET', '/api/v1/dids', { token: org.token })).json()) as Array<{ number: string }>;
    expect(dids.map((d) => d.number)).toEqual(['+918065978001']);
    expect((await api.call('POST', '/api/v1/numbers/purchase', { token: org.token, body: { number: '+918065978001' } })).status).toBe(409);
    expect((await api.call('POST', '/api/v1/numbers/purchase', { token: org.token, body: { number: '+918065978009' } })).status).toBe(404);
    expect((await api.call('POST', '/api/v1/numbers/purchase', { token: org.token, body: { number: '+919999999999' } })).status).toBe(404);
    const member = await api.org('M', 'member');
    expect((await api.call('POST', '/api/v1/numbers/purchase', { token: member.token, body: { number: '+918065978001' } })).status).toBe(403);
  });

  it('region and pattern rules', () => {
    expect(regionOf('+918065978001', '91')).toEqual({ id: '91-80', countryCode: '91', prefix: '80', name: 'Bangalore' });
    expect(regionOf('+442071234567', '91')).toMatchObject({ id: '44-20' });
    expect(numberMatcher('8065*1', '91')('+918065978001')).toBe(true);
    expect(numberMatcher('8065*1', '91')('+918065978002')).toBe(false);
    expect(numberMatcher('9180*', '91')('+918065978002')).toBe(true);
  });
});

describe('GET /api/v1/dids/{id}/status', () => {
  it('routing, the live mapping with its snapshot version, and the last call', async () => {
    const api = (current = await openTestApi());
    const org = await api.org();
    const { did } = await seedValid(api.deps.adb, org.orgId);
    const spare = await addDid(api.deps.adb, org.orgId, '+918065978002', null);
    const status = async (id: string) => (await (await api.call('GET', `/api/v1/dids/${id}/status`, { token: org.token })).json()) as Record<string, unknown>;

    expect(await status(did.id)).toMatchObject({ routed: { type: 'ivr' }, published: { live: false, routing: null, version: null, in_sync: false }, last_call: null });
    const { version } = await publish(api.deps.adb, org.orgId, { soundsDir: api.dataDir });
    const { adb } = api.deps;
    const call = (id: string, caller: string, startedAt: string, disposition: string) => ({
      id, callUuid: `u-${id}`, orgId: org.orgId, direction: 'inbound', did: did.number, caller, startedAt, path: [], dtmf: '', disposition, createdAt: startedAt,
    });
    await adb.insert(adb.t.callLogs).values(call('c1', '+919944421125', '2026-03-01T10:00:00.000Z', 'connected'));
    await adb.insert(adb.t.callLogs).values(call('c2', '+919944421126', '2026-03-01T11:00:00.000Z', 'abandoned'));
    expect(await status(did.id)).toEqual({
      id: did.id, number: did.number,
      routed: { type: 'ivr', destination: did.routingDestination },
      published: { live: true, routing: { type: 'ivr', destination: did.routingDestination }, version, in_sync: true },
      last_call: { at: '2026-03-01T11:00:00.000Z', call_id: 'c2', caller: '+919944421126', outcome: 'abandoned' },
    });
    expect(await status(spare.id)).toMatchObject({ routed: null, published: { live: false, version: null, in_sync: true }, last_call: null });
    const other = await api.org('Other');
    expect((await api.call('GET', `/api/v1/dids/${did.id}/status`, { token: other.token })).status).toBe(404);
  });
});
