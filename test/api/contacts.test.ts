import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';

let api: AsyncTestApi;
let org: TestOrg;
beforeEach(async () => {
  api = await openTestApi();
  org = await api.org('Acme');
});
afterEach(() => api.close());

type Contact = { id: string; name: string; phone: string; email: string | null; company: string | null; variables: Record<string, string> };
type Err = { error: string; code: string; details?: { fields?: { field: string; message: string }[]; conflict?: Record<string, unknown> } };

const call = async <T = Contact & Err>(method: string, path: string, body?: unknown, token = org.token) => {
  const res = await api.call(method, path, { token, body });
  return { status: res.status, json: (res.status === 204 ? null : await res.json()) as T };
};
const create = (body: unknown) => call('POST', '/api/v1/contacts', body);

describe('contacts', () => {
  it('CRUD: the number is stored in E.164, variables replaced as a whole', async () => {
    const made = await create({ name: 'John Doe', number: '09876543210', country_code: '+91', email: 'john@example.com', variables: { order_id: 'ORD1' } });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ name: 'John Doe', phone: '+919876543210', email: 'john@example.com', company: null, variables: { order_id: 'ORD1' } });
    const id = made.json.id;
    expect((await call('GET', `/api/v1/contacts/${id}`)).json).toMatchObject({ id, phone: '+919876543210' });

    const upd = await call('PUT', `/api/v1/contacts/${id}`, { company: 'Acme', variables: { tier: 'gold' } });
    expect(upd.json).toMatchObject({ name: 'John Doe', company: 'Acme', email: 'john@example.com', variables: { tier: 'gold' } });
    expect((await call('PUT', `/api/v1/contacts/${id}`, { phone: '+44 20 7946 0958' })).json.phone).toBe('+442079460958');

    expect((await call('DELETE', `/api/v1/contacts/${id}`)).status).toBe(204);
    expect((await call('GET', `/api/v1/contacts/${id}`)).status).toBe(404);
  });

  it('a number already saved is a 409 naming the contact that has it, in any format and on update', async () => {
    const first = await create({ name: 'John', phone: '+919876543210' });
    const dup = await create({ name: 'Johnny', phone: '98765 43210' });
    expect(dup.status).toBe(409);
    expect(dup.json.error).toContain('"John"');
    expect(dup.json.details?.conflict).toMatchObject({ type: 'contact', id: first.json.id, name: 'John' });
    const other = await create({ name: 'Asha', phone: '09800000001' });
    const clash = await call('PUT', `/api/v1/contacts/${other.json.id}`, { phone: '09876543210' });
    expect(clash.status).toBe(409);
    // Another organization may save the same number.
    const b = await api.org('Other');
    expect((await call('POST', '/api/v1/contacts', { name: 'John', phone: '09876543210' }, b.token)).status).toBe(201);
  });

  it('validation: phone, email and variables are 400s naming the field', async () => {
    const fieldsOf = async (body: unknown) => ((await create(body)).json.details?.fields ?? []).map((f) => f.field);
    expect(await fieldsOf({ name: 'X' })).toEqual(['phone']);
    expect(await fieldsOf({ name: 'X', phone: 'not a number' })).toEqual(['phone']);
    expect(await fieldsOf({ name: 'X', phone: '09876543210', email: 'nope' })).toEqual(['email']);
    expect(await fieldsOf({ name: 'X', phone: '09876543210', variables: { 'Bad-Key': 'v' } })).toEqual(['variables.Bad-Key']);
    expect(await fieldsOf({ name: 'X', phone: '09876543210', variables: { k: 'x'.repeat(501) } })).toEqual(['variables.k']);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(await fieldsOf({ name: 'X', phone: '09876543210', variables: many })).toEqual(['variables']);
    expect((await create({ name: 'X', phone: '09876543210', variables: { ['k'.repeat(40)]: 'v' } })).status).toBe(201);
  });

  it('lists by name with paging; q finds name, email and a number typed as the caller would', async () => {
    await create({ name: 'Zed', phone: '+919876543210', email: 'zed@corp.example' });
    await create({ name: 'Asha', phone: '+919800000001' });
    await create({ name: 'Bala', phone: '+919800000002', email: 'bala@home.example' });
    type Page = { contacts: Contact[]; total: number; limit: number; offset: number };
    const list = async (qs: string) => (await call<Page>('GET', `/api/v1/contacts${qs}`)).json;
    const all = await list('');
    expect(all.contacts.map((c) => c.name)).toEqual(['Asha', 'Bala', 'Zed']);
    expect(await list('?limit=1&offset=1')).toMatchObject({ total: 3, limit: 1, offset: 1, contacts: [{ name: 'Bala' }] });
    const names = async (q: string) => (await list(`?q=${encodeURIComponent(q)}`)).contacts.map((c) => c.name);
    expect(await names('09876543210')).toEqual(['Zed']);
    expect(await names('98765 43210')).toEqual(['Zed']);
    expect(await names('0980000')).toEqual(['Asha', 'Bala']);
    expect(await names('CORP')).toEqual(['Zed']);
    expect(await names('sh')).toEqual(['Asha']);
    expect(await names('%')).toEqual([]);
    expect((await list('?q=zzz')).total).toBe(0);
  });

  it('GET /contacts/lookup finds a number in any format; an unknown one is a 404, a non-number a 400', async () => {
    const made = await create({ name: 'John', phone: '+919876543210' });
    const found = await call('GET', '/api/v1/contacts/lookup?phone=09876543210');
    expect(found).toMatchObject({ status: 200, json: { id: made.json.id, name: 'John' } });
    expect((await call('GET', '/api/v1/contacts/lookup?phone=09876543211')).status).toBe(404);
    expect((await call('GET', '/api/v1/contacts/lookup?phone=abcdef')).status).toBe(400);
    const other = await api.org('Other');
    expect((await call('GET', '/api/v1/contacts/lookup?phone=09876543210', undefined, other.token)).status).toBe(404);
  });

  it('GET /call-variables: the built-ins, then every contact variable key of the org as contact_<key>', async () => {
    await create({ name: 'A', phone: '+919800000001', variables: { order_id: '1', tier: 'gold' } });
    await create({ name: 'B', phone: '+919800000002', variables: { order_id: '2', amount: '10' } });
    const other = await api.org('Other');
    await call('POST', '/api/v1/contacts', { name: 'C', phone: '+919800000003', variables: { secret_key: 'x' } }, other.token);
    const res = await call<{ variables: { key: string; source: string }[] }>('GET', '/api/v1/call-variables');
    expect(res.json.variables.map((v) => v.key)).toEqual([
      'call_id', 'caller_number', 'did', 'contact_id', 'contact_name', 'contact_amount', 'contact_order_id', 'contact_tier',
    ]);
    expect(res.json.variables.at(-1)).toMatchObject({ source: 'contact' });
  });

  it('an API key needs contact.read / contact.write', async () => {
    const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions: ['contact.read'] } });
    const key = ((await res.json()) as { key: string }).key;
    expect((await api.call('GET', '/api/v1/contacts', { apiKey: key })).status).toBe(200);
    const denied = await api.call('POST', '/api/v1/contacts', { apiKey: key, body: { name: 'X', phone: '09876543210' } });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { details: unknown }).details).toEqual({ missing_permission: 'contact.write' });
  });
});
