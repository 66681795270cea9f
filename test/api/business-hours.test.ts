import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';

let api: AsyncTestApi;
/** The API's clock: real time (tokens are issued and checked by it) unless a test sets an instant. */
let clock: Date | null = null;
beforeEach(async () => {
  clock = null;
  api = await openTestApi({ now: () => clock ?? new Date() });
});
afterEach(() => api.close());

type Schedule = {
  id: string; name: string; timezone: string; weekly: Record<string, { start: string; end: string }[]>; holidays: { date: string; name: string }[];
  open_destination: { type: string; value: string | null }; closed_destination: { type: string; value: string | null };
};
type Err = { error: string; code: string; details?: { fields?: { field: string; message: string }[]; missing_permission?: string; conflict?: { references?: { type: string; field: string }[] } } };
type Status = { open: boolean; reason: string; local_time: string; timezone: string; holiday?: string; next_change?: string };

const OFFICE = {
  name: 'Office',
  timezone: 'America/New_York',
  weekly: { fri: [{ start: '09:00', end: '17:00' }], mon: [{ start: '14:00', end: '18:00' }, { start: '09:00', end: '13:00' }] },
  holidays: [{ date: '2026-12-25', name: 'Christmas' }],
  open_destination: { type: 'extension', value: '1001' },
  closed_destination: { type: 'hangup', value: null },
};

async function send<T>(org: TestOrg, method: string, path: string, body?: unknown): Promise<{ status: number; json: T & Err }> {
  const res = await api.call(method, path, { token: org.token, body });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as T & Err };
}

async function orgWithExtension(): Promise<TestOrg> {
  const org = await api.org();
  expect((await send(org, 'POST', '/api/v1/extensions', { number: '1001', name: 'Asha' })).status).toBe(201);
  return org;
}

const create = (org: TestOrg, body: Record<string, unknown>) => send<Schedule>(org, 'POST', '/api/v1/business-hours', body);
const fields = (e: Err) => (e.details?.fields ?? []).map((f) => f.field);

describe('business hours CRUD', () => {
  it('creates a schedule: every weekday present with its ranges in order; lists, reads, updates', async () => {
    const org = await orgWithExtension();
    const { status, json } = await create(org, OFFICE);
    expect(status).toBe(201);
    expect(json).toMatchObject({
      name: 'Office', timezone: 'America/New_York', holidays: [{ date: '2026-12-25', name: 'Christmas' }],
      open_destination: { type: 'extension', value: '1001' }, closed_destination: { type: 'hangup', value: null },
    });
    expect(json.weekly).toEqual({
      sun: [], mon: [{ start: '09:00', end: '13:00' }, { start: '14:00', end: '18:00' }], tue: [], wed: [], thu: [], fri: [{ start: '09:00', end: '17:00' }], sat: [],
    });
    expect((await send<Schedule[]>(org, 'GET', '/api/v1/business-hours')).json.map((s) => s.id)).toEqual([json.id]);
    expect((await send<Schedule>(org, 'GET', `/api/v1/business-hours/${json.id}`)).json.name).toBe('Office');
    const upd = await send<Schedule>(org, 'PUT', `/api/v1/business-hours/${json.id}`, { timezone: 'Europe/London', weekly: { sat: [{ start: '10:00', end: '24:00' }] } });
    expect(upd.status).toBe(200);
    expect(upd.json).toMatchObject({ timezone: 'Europe/London', weekly: { sat: [{ start: '10:00', end: '24:00' }], mon: [] }, holidays: OFFICE.holidays });
    // Another organization sees none of it.
    const other = await api.org();
    expect((await send(other, 'GET', `/api/v1/business-hours/${json.id}`)).status).toBe(404);
  });

  it('refuses an unknown timezone, naming it', async () => {
    const org = await orgWithExtension();
    const { status, json } = await create(org, { ...OFFICE, timezone: 'Mars/Olympus_Mons' });
    expect(status).toBe(400);
    expect(json.details?.fields).toEqual([{ field: 'timezone', message: expect.stringContaining('unknown timezone "Mars/Olympus_Mons"') }]);
  });

  it('refuses bad times, ranges that end before they start or overlap, and bad or repeated dates', async () => {
    const org = await orgWithExtension();
    const { status, json } = await create(org, {
      ...OFFICE,
      weekly: {
        mon: [{ start: '9:00', end: '17:00' }],
        tue: [{ start: '17:00', end: '09:00' }],
        wed: [{ start: '09:00', end: '12:00' }, { start: '11:30', end: '13:00' }],
        thu: [{ start: '24:00', end: '24:00' }, { start: '10:00', end: '24:01' }],
        fri: [{ start: '09:00', end: '12:00' }, { start: '12:00', end: '24:00' }],
      },
      holidays: [{ date: '2026-02-30', name: 'Nope' }, { date: '2026-12-25', name: 'A' }, { date: '2026-12-25', name: 'B' }],
    });
    expect(status).toBe(400);
    expect(fields(json).sort()).toEqual([
      'holidays.0.date', 'holidays.2.date', 'weekly.mon.0.start', 'weekly.thu.0.start', 'weekly.thu.1.end', 'weekly.tue.0', 'weekly.wed.1',
    ]);
    expect(json.details?.fields?.find((f) => f.field === 'weekly.wed.1')?.message).toBe('overlaps range 0 of wed');
  });

  it('refuses an unknown weekday, a dangling destination and a type that is not a final destination', async () => {
    const org = await orgWithExtension();
    expect((await create(org, { ...OFFICE, weekly: { funday: [] } })).status).toBe(400);
    const dangling = await create(org, { ...OFFICE, open_destination: { type: 'extension', value: '1999' } });
    expect(dangling.status).toBe(400);
    expect(dangling.json.details?.fields).toEqual([{ field: 'open_destination.value', message: 'extension 1999 does not exist in this organization' }]);
    expect((await create(org, { ...OFFICE, closed_destination: { type: 'repeat', value: null } })).status).toBe(400);
    const missing = await create(org, { ...OFFICE, closed_destination: { type: 'time_condition', value: '2d7a59e9-4304-4032-a0c1-f8df2429751c' } });
    expect(missing.json.details?.fields).toEqual([{ field: 'closed_destination.value', message: expect.stringContaining('business-hours schedule 2d7a59e9') }]);
  });

  it('names are unique per organization: 409', async () => {
    const org = await orgWithExtension();
    expect((await create(org, OFFICE)).status).toBe(201);
    const again = await create(org, OFFICE);
    expect(again.status).toBe(409);
    expect(again.json.error).toContain('"Office" already exists');
  });

  it('a schedule may route to another schedule, but not back to itself', async () => {
    const org = await orgWithExtension();
    const weekend = await create(org, { ...OFFICE, name: 'Weekend' });
    const office = await create(org, { ...OFFICE, closed_destination: { type: 'time_condition', value: weekend.json.id } });
    expect(office.status).toBe(201);
    const back = await send(org, 'PUT', `/api/v1/business-hours/${weekend.json.id}`, { open_destination: { type: 'time_condition', value: office.json.id } });
    expect(back.status).toBe(400);
    expect(back.json.details?.fields).toEqual([{ field: 'open_destination.value', message: expect.stringContaining('leads back to this schedule') }]);
    const self = await send(org, 'PUT', `/api/v1/business-hours/${office.json.id}`, { open_destination: { type: 'time_condition', value: office.json.id } });
    expect(self.status).toBe(400);
    expect(self.json.error).toContain(`${office.json.id} → ${office.json.id}`);
  });
});

describe('business hours as a destination', () => {
  it('DIDs, menu options and fallbacks take time_condition; deleting a schedule in use is a 409 listing the users', async () => {
    const org = await orgWithExtension();
    const hours = await create(org, OFFICE);
    const id = hours.json.id;
    const ivr = await send<{ id: string }>(org, 'POST', '/api/v1/ivrs', { name: 'Main', extension: '7001', timeout_destination: { type: 'time_condition', value: id } });
    expect(ivr.status).toBe(201);
    const menu = await send(org, 'PUT', `/api/v1/ivrs/${ivr.json.id}/menu`, { options: [{ digit: '1', action_type: 'time_condition', action_destination: id }] });
    expect(menu.status).toBe(200);
    const did = await send<{ id: string }>(org, 'POST', '/api/v1/dids', { number: '+918065978001', assign: true });
    expect((await send(org, 'PUT', `/api/v1/dids/${did.json.id}`, { routing_type: 'time_condition', routing_destination: id })).status).toBe(200);
    expect((await send(org, 'PUT', `/api/v1/dids/${did.json.id}`, { routing_type: 'time_condition', routing_destination: '7001' })).status).toBe(400);

    const del = await send(org, 'DELETE', `/api/v1/business-hours/${id}`);
    expect(del.status).toBe(409);
    expect(del.json.details?.conflict?.references?.map((r) => `${r.type}:${r.field}`).sort()).toEqual(['did:routing', 'ivr:menu option 1', 'ivr:timeout_destination']);

    await send(org, 'PUT', `/api/v1/dids/${did.json.id}`, { routing_type: 'extension', routing_destination: '1001' });
    await send(org, 'DELETE', `/api/v1/ivrs/${ivr.json.id}`);
    expect((await send(org, 'DELETE', `/api/v1/business-hours/${id}`)).status).toBe(204);
    expect((await send(org, 'GET', `/api/v1/business-hours/${id}`)).status).toBe(404);
  });

  it('schedule.* is its own permission', async () => {
    const org = await orgWithExtension();
    const res = await api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions: ['ivr.*'] } });
    const key = ((await res.json()) as { key: string }).key;
    const denied = await api.call('GET', '/api/v1/business-hours', { apiKey: key });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as Err).details?.missing_permission).toBe('schedule.read');
  });
});

describe('GET /business-hours/{id}/status', () => {
  const status = async (org: TestOrg, id: string, at?: string) =>
    send<Status>(org, 'GET', `/api/v1/business-hours/${id}/status${at ? `?at=${encodeURIComponent(at)}` : ''}`);

  it('answers open/closed/holiday on the schedule\'s clock, with the local time and the next change', async () => {
    const org = await orgWithExtension();
    const { json: s } = await create(org, OFFICE);
    // Monday 9 March 2026, 11:00 in New York (EDT since the day before): the API's clock by default.
    clock = new Date('2026-03-09T15:00:00Z');
    expect((await status(org, s.id)).json).toEqual({
      open: true, reason: 'open', local_time: '2026-03-09T11:00:00-04:00', timezone: 'America/New_York', next_change: '2026-03-09T17:00:00.000Z',
    });
    expect((await status(org, s.id, '2026-03-09T17:30:00Z')).json).toMatchObject({ open: false, reason: 'closed', local_time: '2026-03-09T13:30:00-04:00', next_change: '2026-03-09T18:00:00.000Z' });
    expect((await status(org, s.id, '2026-12-25T15:00:00+00:00')).json).toMatchObject({ open: false, reason: 'holiday', holiday: 'Christmas', local_time: '2026-12-25T10:00:00-05:00' });
  });

  it('a schedule that never opens has no next change; a bad `at` is a 400', async () => {
    const org = await orgWithExtension();
    const { json: s } = await create(org, { ...OFFICE, weekly: {} });
    const never = await status(org, s.id, '2026-03-09T15:00:00Z');
    expect(never.json).toEqual({ open: false, reason: 'closed', local_time: '2026-03-09T11:00:00-04:00', timezone: 'America/New_York' });
    expect((await status(org, s.id, '2026-03-09 15:00')).status).toBe(400);
    expect((await status(org, s.id, '2026-13-45T15:00:00Z')).status).toBe(400);
  });
});
