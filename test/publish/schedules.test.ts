import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { compile } from '../../src/publish/compile.ts';
import { publish } from '../../src/publish/publish.ts';
import { UnprocessableError } from '../../src/domain/errors.ts';
import { freshDb, type FreshDb } from './seed.ts';
import { addDid, addIvr, addOption, addSchedule, newOrg, seedValid } from './seed-async.ts';

let t: FreshDb;
beforeEach(async () => { t = await freshDb(); });
afterEach(() => t.close());

const run = (orgId: string) => compile(t.adb, orgId, { soundsDir: t.soundsDir });
const MISSING = '2d7a59e9-4304-4032-a0c1-f8df2429751c';

describe('publishing business hours', () => {
  it('compiles every schedule of the organization; DIDs, menu options and fallbacks may route to one', async () => {
    const org = await newOrg(t.adb);
    const { ivr } = await seedValid(t.adb, org.id);
    const hours = await addSchedule(t.adb, org.id, 'Office', { closedDestination: { type: 'ivr', value: ivr.id }, holidays: [{ date: '2026-12-25', name: 'Christmas' }] });
    await addSchedule(t.adb, org.id, 'Unused');
    await addDid(t.adb, org.id, '+918065978002', 'time_condition', hours.id);
    await addOption(t.adb, org.id, ivr.id, '9', 'time_condition', hours.id);
    const r = await run(org.id);
    expect(r.problems).toEqual([]);
    expect(Object.keys(r.snapshot.schedules ?? {})).toHaveLength(2);
    expect(r.snapshot.schedules?.[hours.id]).toEqual({
      id: hours.id, name: 'Office', timezone: 'America/New_York',
      weekly: { sun: [], mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [], thu: [], fri: [], sat: [] },
      holidays: [{ date: '2026-12-25', name: 'Christmas' }],
      open: { type: 'extension', value: '1001' }, closed: { type: 'ivr', value: ivr.id },
    });
    expect(r.snapshot.dids['+918065978002']).toMatchObject({ routingType: 'time_condition', destination: hours.id });
    expect(r.snapshot.ivrs[ivr.id]!.options['9']).toMatchObject({ type: 'time_condition', value: hours.id });
  });

  it('an organization without schedules publishes no schedules key (the same content as before they existed)', async () => {
    const org = await newOrg(t.adb);
    await seedValid(t.adb, org.id);
    expect((await run(org.id)).snapshot).not.toHaveProperty('schedules');
  });

  it('a dangling schedule reference, or a schedule with a dangling destination, is a problem', async () => {
    const org = await newOrg(t.adb);
    const { ivr } = await seedValid(t.adb, org.id);
    await addDid(t.adb, org.id, '+918065978002', 'time_condition', MISSING);
    const other = await addIvr(t.adb, org.id, '7002', { timeoutDestination: { type: 'time_condition', value: MISSING } });
    await addOption(t.adb, org.id, other.id, '1', 'extension', '1001');
    const hours = await addSchedule(t.adb, org.id, 'Office', { closedDestination: { type: 'ivr', value: MISSING } });
    await addOption(t.adb, org.id, ivr.id, '9', 'time_condition', hours.id);
    const r = await run(org.id);
    expect(r.problems.map((p) => p.code)).toEqual(['dangling_reference', 'dangling_reference', 'dangling_reference']);
    expect(r.problems.map((p) => p.path).sort()).toEqual([`dids.+918065978002`, `ivrs.${other.id}.timeout_destination`, `schedules.${hours.id}.closed_destination`]);
    expect(r.problems.find((p) => p.path === 'dids.+918065978002')?.message).toBe(`DID +918065978002: business-hours schedule ${MISSING} does not exist in this organization`);
    expect(r.problems.find((p) => p.path.startsWith('schedules.'))?.message).toBe(`Business hours "Office", closed destination: IVR ${MISSING} does not exist in this organization`);
  });

  it('schedules that lead back to themselves are a problem for each, naming the chain; publish refuses them (422)', async () => {
    const org = await newOrg(t.adb);
    await seedValid(t.adb, org.id);
    const a = await addSchedule(t.adb, org.id, 'Day');
    const b = await addSchedule(t.adb, org.id, 'Night', { openDestination: { type: 'time_condition', value: a.id } });
    await t.adb.update(t.adb.t.businessHours).set({ closedDestination: { type: 'time_condition', value: b.id } }).where(eq(t.adb.t.businessHours.id, a.id));
    await addSchedule(t.adb, org.id, 'Entry', { openDestination: { type: 'time_condition', value: a.id } });
    const r = await run(org.id);
    expect(r.problems.filter((p) => p.code === 'schedule_cycle').map((p) => p.message).sort()).toEqual([
      'Business hours "Day" sends calls back to itself: "Day" → "Night" → "Day"',
      'Business hours "Night" sends calls back to itself: "Night" → "Day" → "Night"',
    ]);
    expect(r.problems).toHaveLength(2);
    let err: unknown;
    try {
      await publish(t.adb, org.id, { soundsDir: t.soundsDir });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnprocessableError);
    expect((err as UnprocessableError).details).toMatchObject({ problems: [{ code: 'schedule_cycle' }, { code: 'schedule_cycle' }] });
  });

  it('a stored schedule with an unknown timezone or overlapping ranges is a problem', async () => {
    const org = await newOrg(t.adb);
    await seedValid(t.adb, org.id);
    const s = await addSchedule(t.adb, org.id, 'Odd', { timezone: 'Nowhere/Land', weekly: { mon: [{ start: '09:00', end: '12:00' }, { start: '10:00', end: '11:00' }] } });
    expect((await run(org.id)).problems.map((p) => [p.code, p.path])).toEqual([
      ['invalid_value', `schedules.${s.id}.timezone`],
      ['invalid_value', `schedules.${s.id}.weekly.mon.1`],
    ]);
  });
});
