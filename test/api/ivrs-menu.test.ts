import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';
import { replaceMenu } from '../../src/services/ivrs/menu.ts';
import { addExtension, addQueue, createIvr, fieldsOf, type ErrorBody, type IvrJson } from './ivrs.fixtures.ts';

let api: AsyncTestApi;
let org: TestOrg;
let ivr: IvrJson;
beforeEach(async () => {
  api = await openTestApi();
  org = await api.org('Acme');
  ivr = await createIvr(api, org);
  await addQueue(api, org.orgId, '5001', 'Sales');
  await addQueue(api, org.orgId, '5002', 'Support');
  await addExtension(api, org.orgId, '1001', 'Operator');
  await addExtension(api, org.orgId, '1002', 'No VM', false);
});
afterEach(() => api.close());

const putMenu = (body: unknown, token = org.token, id = ivr.id) => api.call('PUT', `/api/v1/ivrs/${id}/menu`, { token, body });
const getMenu = async () => ((await (await api.call('GET', `/api/v1/ivrs/${ivr.id}`, { token: org.token })).json()) as IvrJson).menuOptions;

const SEED_MENU = [
  { digit: '1', action_type: 'queue', action_destination: '5001', description: 'Sales' },
  { digit: '2', action_type: 'queue', action_destination: '5002', description: 'Support' },
  { digit: 0, action_type: 'extension', action_destination: '1001', description: 'Operator' },
  { digit: '9', action_type: 'hangup' },
];

describe('PUT /api/v1/ivrs/{id}/menu', () => {
  it('replaces the menu and returns the IVR with options in body order', async () => {
    const res = await putMenu({ options: SEED_MENU });
    expect(res.status).toBe(200);
    const body = (await res.json()) as IvrJson;
    expect(body.id).toBe(ivr.id);
    expect(body.menuOptions?.map((o) => [o.digit, o.action_type, o.action_destination, o.description, o.order])).toEqual([
      ['1', 'queue', '5001', 'Sales', 0],
      ['2', 'queue', '5002', 'Support', 1],
      ['0', 'extension', '1001', 'Operator', 2],
      ['9', 'hangup', null, null, 3],
    ]);
    expect(body.menuOptions?.[0]).toMatchObject({ ivr_id: ivr.id, id: expect.any(String), createdAt: expect.any(String) });
    // A second save replaces, it does not append.
    const again = await putMenu({ options: [{ digit: '#', action_type: 'repeat', action_destination: null }] });
    expect(((await again.json()) as IvrJson).menuOptions?.map((o) => o.digit)).toEqual(['#']);
    expect(await getMenu()).toHaveLength(1);
  });

  it("saves the options in the seed's `order` (then body order, absent last); errors keep body indices", async () => {
    const res = await putMenu({ options: [
      { digit: '9', action_type: 'hangup', order: 3 },
      { digit: '1', action_type: 'queue', action_destination: '5001', order: 1 },
      { digit: '#', action_type: 'repeat' },
      { digit: '2', action_type: 'queue', action_destination: '5002', order: 1 },
    ] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as IvrJson).menuOptions?.map((o) => [o.digit, o.order])).toEqual([['1', 0], ['2', 1], ['9', 2], ['#', 3]]);
    const bad = await putMenu({ options: [{ digit: '1', action_type: 'hangup', order: 2 }, { digit: 'x', action_type: 'hangup', order: 1 }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).details?.fields?.map((f) => f.field)).toEqual(['options.1.digit']);
  });

  it('accepts every action type with its destination format', async () => {
    const other = await createIvr(api, org, { name: 'Billing', extension: '7002' });
    const res = await putMenu({
      options: [
        { digit: '1', action_type: 'extension', action_destination: '1001' },
        { digit: '2', action_type: 'queue', action_destination: '5001' },
        { digit: '3', action_type: 'ivr', action_destination: other.id },
        { digit: '4', action_type: 'voicemail', action_destination: '1001' },
        { digit: '5', action_type: 'hangup', action_destination: null },
        { digit: '6', action_type: 'callback' },
        { digit: '7', action_type: 'ai_agent', action_destination: 'wss://bot.example.com/ws' },
        { digit: '8', action_type: 'external', action_destination: '+919944421125' },
        { digit: '9', action_type: 'play_prompt', action_destination: 'Our office is open nine to six.' },
        { digit: '*', action_type: 'repeat' },
        { digit: '0', action_type: 'ivr', action_destination: ivr.id },
      ],
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as IvrJson).menuOptions).toHaveLength(11);
  });

  it('an empty list clears the menu', async () => {
    await putMenu({ options: SEED_MENU });
    const res = await putMenu({ options: [] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as IvrJson).menuOptions).toEqual([]);
  });

  it('400 and the menu is untouched when options is missing or not an array (the seed wiped it)', async () => {
    await putMenu({ options: SEED_MENU });
    for (const body of [{}, { menu: SEED_MENU }, SEED_MENU, { options: 'x' }]) {
      const res = await putMenu(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).code).toBe('validation_error');
    }
    expect(await getMenu()).toHaveLength(4);
  });

  it('400 reports every failing option with its field path, and nothing is written', async () => {
    await putMenu({ options: SEED_MENU });
    const res = await putMenu({
      options: [
        { digit: '1', action_type: 'queue', action_destination: '5001' },
        { digit: 'x', action_type: 'extension', action_destination: '1001' },
        { digit: '3', action_type: 'queue', action_destination: '5999' },
        { digit: '1', action_type: 'ivr', action_destination: '7001' },
        { digit: '5', action_type: 'hangup', action_destination: '1001' },
        { digit: '6', action_type: 'transfer', action_destination: '1001' },
        { digit: '7', action_type: 'voicemail', action_destination: '1002' },
        { digit: '8', action_type: 'external', action_destination: '12345' },
        { digit: '9', action_type: 'extension' },
      ],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(fieldsOf(body)).toEqual([
      'options.1.digit', 'options.2.action_destination', 'options.3.action_destination', 'options.3.digit',
      'options.4.action_destination', 'options.5.action_type', 'options.6.action_destination', 'options.7.action_destination',
      'options.8.action_destination',
    ]);
    const msg = (field: string) => body.details?.fields?.find((f) => f.field === field)?.message ?? '';
    expect(msg('options.3.digit')).toContain('duplicate digit "1"');
    expect(body.error).toContain('duplicate digit "1"');
    expect(msg('options.3.action_destination')).toContain('UUID');
    expect(msg('options.3.action_destination')).toContain(ivr.id);
    expect(msg('options.6.action_destination')).toContain('voicemail disabled');
    expect(await getMenu()).toHaveLength(4);
  });

  it('400 for type errors in the body shape', async () => {
    const res = await putMenu({ options: [{ digit: true, action_type: 'queue', action_destination: 5001 }] });
    expect(res.status).toBe(400);
    expect(fieldsOf((await res.json()) as ErrorBody)).toEqual(['options.0.action_destination', 'options.0.digit']);
  });

  it('another org\'s queue, extension or IVR is not a valid destination', async () => {
    const other = await api.org('Other');
    await addQueue(api, other.orgId, '5500');
    const theirIvr = await createIvr(api, other, { extension: '7500' });
    const res = await putMenu({
      options: [
        { digit: '1', action_type: 'queue', action_destination: '5500' },
        { digit: '2', action_type: 'ivr', action_destination: theirIvr.id },
      ],
    });
    expect(res.status).toBe(400);
    expect(fieldsOf((await res.json()) as ErrorBody)).toEqual(['options.0.action_destination', 'options.1.action_destination']);
  });

  it('404 for unknown and cross-org IVRs', async () => {
    const other = await api.org('Other');
    expect((await putMenu({ options: [] }, org.token, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const res = await putMenu({ options: [] }, other.token);
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error).toBe('IVR not found');
  });

  it('is atomic: a write failing halfway rolls back to the previous menu', async () => {
    await putMenu({ options: SEED_MENU });
    const before = await getMenu();
    // Bypass validation to force a unique-key violation on the second insert.
    const dup = { digit: '4', actionType: 'hangup' as const, destination: null, description: null };
    await expect(replaceMenu(api.deps.adb, org.orgId, ivr.id, [dup, dup])).rejects.toThrow();
    expect(await getMenu()).toEqual(before);
  });
});
