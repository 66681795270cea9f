/**
 * Inspector for business hours (a time_condition): the week's open ranges, holidays, the timezone, and where
 * calls go when open and when closed.
 */
import { messageOf } from '../api.ts';
import { destinationPicker } from '../destination.ts';
import { field, h, input, notify } from '../dom.ts';
import type { Schedule } from '../types.ts';
import type { BuilderContext } from './context.ts';

const DAYS: Array<[string, string]> = [['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday']];

/** "09:00-13:00, 14:00-18:00" → ranges; the API says what is wrong with a bad one. */
export function parseRanges(text: string): Array<{ start: string; end: string }> {
  return text.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
    const [start = '', end = ''] = p.split(/\s*[-–]\s*/);
    return { start, end };
  });
}

/** "2026-12-25 Christmas" per line → holidays. */
export function parseHolidays(text: string): Array<{ date: string; name: string }> {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const [date = '', ...name] = l.split(/\s+/);
    return { date, name: name.join(' ') || date };
  });
}

export function scheduleForm(ctx: BuilderContext, s: Schedule): HTMLElement {
  const ro = !ctx.canEditSchedules;
  const name = input('name', s.name, { disabled: ro });
  const timezone = input('timezone', s.timezone, { disabled: ro });
  const days = DAYS.map(([d, label]) => [d, label, input(`weekly_${d}`, (s.weekly[d] ?? []).map((r) => `${r.start}-${r.end}`).join(', '), { disabled: ro, placeholder: 'Closed' })] as const);
  const holidays = h('textarea', { name: 'holidays', rows: 3, disabled: ro }, s.holidays.map((x) => `${x.date} ${x.name}`).join('\n'));
  const create = ro ? undefined : ctx.create;
  const open = destinationPicker({ legend: 'When open', types: ctx.catalog.types.final, catalog: ctx.catalog, value: s.open_destination, disabled: ro, create });
  const closed = destinationPicker({ legend: 'When closed (and on holidays)', types: ctx.catalog.types.final, catalog: ctx.catalog, value: s.closed_destination, disabled: ro, create });

  const save = async () => {
    try {
      await ctx.api.put(`/business-hours/${s.id}`, {
        name: name.value.trim(), timezone: timezone.value.trim(),
        weekly: Object.fromEntries(days.map(([d, , el]) => [d, parseRanges(el.value)])),
        holidays: parseHolidays(holidays.value),
        open_destination: open.read() ?? { type: 'hangup', value: null },
        closed_destination: closed.read() ?? { type: 'hangup', value: null },
      });
      await ctx.saved(`Saved business hours ${name.value.trim()}`);
    } catch (err) {
      notify(messageOf(err), 'error');
    }
  };

  return h('form', { class: 'schedule-form', on: { submit: (e) => { e.preventDefault(); void save(); } } },
    h('h2', {}, `Business hours: ${s.name}`),
    h('div', { class: 'grid' }, field('Name', name), field('Timezone', timezone, 'IANA name, e.g. Asia/Kolkata')),
    h('fieldset', {}, h('legend', {}, 'Open hours'), h('div', { class: 'grid' }, ...days.map(([, label, el]) => field(label, el, label === 'Monday' ? 'e.g. 09:00-13:00, 14:00-18:00' : undefined)))),
    field('Holidays (one per line: date and name)', holidays, 'e.g. 2026-12-25 Christmas'),
    open.element, closed.element,
    ro ? null : h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save business hours')));
}
