import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';

const DID = '+918065978001';
let api: AsyncTestApi;
let org: TestOrg;
let flowId = '';

async function call(method: string, path: string, body?: unknown, token = org.token) {
  const res = await api.call(method, path, { token, body });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, any> };
}

beforeEach(async () => {
  api = await openTestApi();
  org = await api.org('Acme');
  flowId = (await call('POST', '/api/v1/ivrs', { name: 'Survey', extension: '7001' })).body.id;
  await call('PUT', `/api/v1/ivrs/${flowId}/menu`, { options: [{ digit: '1', action_type: 'hangup', action_destination: null }] });
  await call('POST', '/api/v1/dids', { number: DID, assign: true });
  await call('POST', `/api/v1/ivrs/${flowId}/publish`);
  await call('POST', '/api/v1/tts-templates', { name: 'order_ready', text: 'Hello {{name}}, order {{order_id}} is ready.' });
});

/** A contact of the org, through the contacts API. */
async function contact(name: string, phone: string, variables: Record<string, string>): Promise<{ id: string }> {
  return (await call('POST', '/api/v1/contacts', { name, phone, variables })).body as { id: string };
}
afterEach(() => api.close());

const base = { name: 'December reminders', did: DID, template: 'order_ready', no_of_call: 3, start_time: '10:00', end_time: '19:30', days: ['mon', 'sat'], timezone: 'Asia/Kolkata' };

describe('campaigns', () => {
  it('creates (paused), reads, updates and lists with totals and its window', async () => {
    const created = await call('POST', '/api/v1/campaigns', { ...base, flow_id: flowId, retry: { busy: { attempts: 3, spacing_minutes: 15 } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'December reminders', did: DID, status: 'paused', flow_id: flowId, no_of_call: 3, start_time: '10:00', end_time: '19:30', days: [1, 6],
      timezone: 'Asia/Kolkata', retry: { busy: { attempts: 3, spacing_minutes: 15 }, no_answer: { attempts: 1, spacing_minutes: 30 } },
      totals: { numbers: 0, pending: 0, completed: 0, answered: 0, failed: 0 },
    });
    expect(typeof created.body.window.open).toBe('boolean');
    expect(created.body.template_id).toMatch(/^[0-9a-f-]{36}$/);
    const id = created.body.id as string;
    const updated = await call('PUT', `/api/v1/campaigns/${id}`, { no_of_call: 5, end_time: '02:00' });
    expect(updated.body).toMatchObject({ no_of_call: 5, end_time: '02:00', start_time: '10:00', name: 'December reminders' });
    const list = await call('GET', '/api/v1/campaigns');
    expect(list.body.campaigns).toHaveLength(1);
    expect((await call('POST', '/api/v1/campaigns', base)).status).toBe(409);
  });

  it('the vendor\'s text_template_id names the template; a flow alone works too', async () => {
    const tts = await call('POST', '/api/v1/campaigns', { ...base, template: undefined, text_template_id: 'order_ready', name: 'a' });
    expect(tts.status).toBe(201);
    const flow = await call('POST', '/api/v1/campaigns', { ...base, template: undefined, flow_id: flowId, name: 'b' });
    expect(flow.body).toMatchObject({ template_id: null, flow_id: flowId });
  });

  it('refuses bad campaigns with every problem named', async () => {
    const bad = await call('POST', '/api/v1/campaigns', {
      ...base, did: '+918065978999', template: 'nope', start_time: '25:00', days: ['funday'], timezone: 'Mars/Base', contact_list_id: 'x',
    });
    expect(bad.status).toBe(400);
    const fields = (bad.body.details.fields as Array<{ field: string }>).map((f) => f.field).sort();
    expect(fields).toEqual(['contact_list_id', 'days', 'did', 'start_time', 'template', 'timezone']);
    expect((await call('POST', '/api/v1/campaigns', { ...base, template: undefined })).status).toBe(400);
    expect((await call('POST', '/api/v1/campaigns', { ...base, no_of_call: 0 })).status).toBe(400);
    const draft = (await call('POST', '/api/v1/ivrs', { name: 'Draft', extension: '7002' })).body.id;
    const unpublished = await call('POST', '/api/v1/campaigns', { ...base, template: undefined, flow_id: draft });
    expect(JSON.stringify(unpublished.body)).toContain('not published');
  });

  it('switching status, and deleting only when not on', async () => {
    const id = (await call('POST', '/api/v1/campaigns', base)).body.id;
    expect((await call('POST', `/api/v1/campaigns/${id}/status`, { status: 'on' })).body.status).toBe('on');
    expect((await call('DELETE', `/api/v1/campaigns/${id}`)).status).toBe(409);
    await call('POST', `/api/v1/campaigns/${id}/status`, { status: 'off' });
    expect((await call('DELETE', `/api/v1/campaigns/${id}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/campaigns/${id}`)).status).toBe(404);
  });
});

describe('campaign numbers', () => {
  let id = '';
  beforeEach(async () => {
    id = (await call('POST', '/api/v1/campaigns', base)).body.id;
  });

  it('adds one number with variables (flat or nested), normalized; a duplicate is reported, not added twice', async () => {
    const one = await call('POST', `/api/v1/campaigns/${id}/numbers`, { number: '09876543210', name: 'John', order_id: 'A1' });
    expect(one.body).toEqual({ added: 1, duplicates: [], invalid: [] });
    const again = await call('POST', `/api/v1/campaigns/${id}/numbers`, { number: '+919876543210', variables: { name: 'John', order_id: 'A1' } });
    expect(again.body).toEqual({ added: 0, duplicates: [{ index: 0, number: '+919876543210' }], invalid: [] });
    const nums = await call('GET', `/api/v1/campaigns/${id}/numbers`);
    expect(nums.body).toMatchObject({ total: 1, numbers: [{ number: '+919876543210', variables: { name: 'John', order_id: 'A1' }, status: 'pending', attempts: 0 }] });
  });

  it('bulk: up to 100 (more is a 400 that says so); invalid and duplicate records are listed by index', async () => {
    const ok = await call('POST', `/api/v1/campaigns/${id}/numbers/bulk`, {
      numbers: [
        { number: '9876500001', name: 'A', order_id: '1' },
        { number: 'not a number', name: 'B', order_id: '2' },
        { number: '9876500001', name: 'A', order_id: '1' },
        { number: '9876500003', name: 'C' },
        { number: '9876500004', name: 'D', order_id: '4', 'bad key': 'x' },
      ],
    });
    expect(ok.body.added).toBe(1);
    expect(ok.body.duplicates).toEqual([{ index: 2, number: '+919876500001' }]);
    expect(ok.body.invalid.map((i: { index: number; message: string }) => [i.index, i.message.split(' ')[0]])).toEqual([[1, 'not'], [3, 'missing'], [4, 'variable']]);
    expect(ok.body.invalid[1].message).toContain('order_id');
    const tooMany = await call('POST', `/api/v1/campaigns/${id}/numbers/bulk`, { numbers: Array.from({ length: 101 }, (_, i) => ({ number: `98765${String(i).padStart(5, '0')}`, name: 'x', order_id: 'y' })) });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toContain('At most 100');
  });

  it('a batch of records (thousands in one request)', async () => {
    const records = Array.from({ length: 2000 }, (_, i) => ({ number: `97${String(i).padStart(8, '0')}`, name: `n${i}`, order_id: String(i) }));
    const res = await call('POST', `/api/v1/campaigns/${id}/numbers/batch`, { records });
    expect(res.body).toMatchObject({ added: 2000, duplicates: [], invalid: [] });
    expect((await call('GET', `/api/v1/campaigns/${id}`)).body.totals).toMatchObject({ numbers: 2000, pending: 2000 });
  });
});

describe('contact lists and do-not-call', () => {
  it('a list attached to a campaign gives it its contacts (with their variables), also ones added later', async () => {
    const a = await contact('Asha', '+919800000001', { order_id: 'A1' });
    const b = await contact('Ravi', '+919800000002', { order_id: 'B2' });
    const list = (await call('POST', '/api/v1/contact-lists', { name: 'VIP' })).body;
    expect((await call('POST', '/api/v1/contact-lists', { name: 'VIP' })).status).toBe(409);
    await call('POST', `/api/v1/contact-lists/${list.id}/contacts`, { contact_ids: [a.id] });
    const id = (await call('POST', '/api/v1/campaigns', { ...base, contact_list_id: list.id })).body.id;
    await call('POST', `/api/v1/contact-lists/${list.id}/contacts`, { contact_ids: [b.id] });
    const nums = (await call('GET', `/api/v1/campaigns/${id}/numbers`)).body;
    expect(nums.numbers.map((n: { number: string; variables: Record<string, string> }) => [n.number, n.variables])).toEqual([
      ['+919800000001', { name: 'Asha', order_id: 'A1' }],
      ['+919800000002', { name: 'Ravi', order_id: 'B2' }],
    ]);
    expect((await call('GET', '/api/v1/contact-lists')).body.lists).toEqual([expect.objectContaining({ name: 'VIP', contacts: 2 })]);
    expect((await call('DELETE', `/api/v1/contact-lists/${list.id}`)).status).toBe(409);
    expect((await call('POST', `/api/v1/contact-lists/${list.id}/contacts`, { contact_ids: ['nope'] })).status).toBe(400);
    expect((await call('DELETE', `/api/v1/contact-lists/${list.id}/contacts/${a.id}`)).status).toBe(204);
  });

  it('do-not-call numbers are normalized, listed and removable; invalid ones are a 400', async () => {
    expect((await call('POST', '/api/v1/dnc', { numbers: ['09800000001', '+919800000001', '9800000002'], reason: 'asked' })).body).toEqual({ added: 2, numbers: ['+919800000001', '+919800000002'] });
    expect((await call('GET', '/api/v1/dnc')).body).toMatchObject({ total: 2, numbers: [{ number: '+919800000001', reason: 'asked' }, { number: '+919800000002' }] });
    expect((await call('DELETE', `/api/v1/dnc/${encodeURIComponent('+919800000001')}`)).status).toBe(204);
    expect((await call('DELETE', '/api/v1/dnc/919800000001')).status).toBe(404);
    expect((await call('POST', '/api/v1/dnc', { numbers: ['abc'] })).status).toBe(400);
  });

  it('another organization sees none of it', async () => {
    const id = (await call('POST', '/api/v1/campaigns', base)).body.id;
    const other = await api.org('Other');
    expect((await call('GET', `/api/v1/campaigns/${id}`, undefined, other.token)).status).toBe(404);
    expect((await call('POST', `/api/v1/campaigns/${id}/numbers`, { number: '9800000001' }, other.token)).status).toBe(404);
    expect((await call('GET', '/api/v1/campaigns', undefined, other.token)).body.campaigns).toEqual([]);
  });
});
