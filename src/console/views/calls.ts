/** Call logs: filter by dates, number and type; open one for its path through the menus, recording and notes. */
import { messageOf } from '../api.ts';
import { button, field, fill, formatTime, h, input, notify, select, table } from '../dom.ts';
import type { Session } from '../session.ts';
import type { CallLog } from '../types.ts';
import type { View } from '../view.ts';
import { callDetail } from './call-detail.ts';

const TYPES: Array<[string, string]> = [['', 'Any'], ['inbound', 'Inbound'], ['click_to_call', 'Click to call'], ['two_party', 'Two party'], ['masking', 'Masked'], ['dialer', 'Campaign']];
const PAGE = 25;

export function callsView(session: Session): View {
  const from = input('from', '', { type: 'date' });
  const to = input('to', '', { type: 'date' });
  const phone = input('phone', '', { type: 'tel', placeholder: '+919944421125' });
  const type = select('type', TYPES, '');
  const summary = h('p', { role: 'status' });
  const list = h('div', {});
  const detail = h('div', {});
  let offset = 0;

  const load = async () => {
    const q = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (from.value) q.set('from', from.value);
    if (to.value) q.set('to', to.value);
    if (phone.value.trim()) q.set('phone', phone.value.trim());
    if (type.value) q.set('type', type.value);
    try {
      const page = await session.api.get<{ calls: CallLog[]; total: number }>(`/call-logs?${q}`);
      summary.textContent = page.total === 0 ? 'No calls match.' : `Calls ${offset + 1}–${offset + page.calls.length} of ${page.total}`;
      fill(list,
        page.calls.length ? table('Calls', ['Started', 'Caller', 'Number', 'Type', 'Status', 'Outcome', 'Duration', ''], page.calls, (c) => [
          formatTime(c.start_time), c.caller_number ?? '', c.did ?? '', c.type, c.status, c.outcome ?? '—', c.duration === null ? '—' : `${c.duration} s`,
          button('Details', () => void callDetail(session, c.id, detail), { 'aria-label': `Details of the call from ${c.caller_number ?? 'unknown'} at ${formatTime(c.start_time)}` }),
        ]) : null,
        h('div', { class: 'actions' },
          offset > 0 ? button('Newer', () => { offset = Math.max(0, offset - PAGE); void load(); }) : null,
          offset + PAGE < page.total ? button('Older', () => { offset += PAGE; void load(); }) : null));
    } catch (err) {
      notify(messageOf(err), 'error');
    }
  };
  void load();

  return {
    title: 'Call logs',
    element: h('section', { 'aria-labelledby': 'calls-title' },
      h('h1', { id: 'calls-title' }, 'Call logs'),
      h('form', { class: 'filters', on: { submit: (e) => { e.preventDefault(); offset = 0; void load(); } } },
        field('From', from), field('To', to), field('Phone number', phone), field('Type', type),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Filter'))),
      summary, list, detail),
  };
}
