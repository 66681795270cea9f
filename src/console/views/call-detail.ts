/** One call: its path through the menus (ivr_path), its recording played in the page, its notes and disposition. */
import { messageOf } from '../api.ts';
import { field, fill, formatTime, h, notify, select, table } from '../dom.ts';
import type { Session } from '../session.ts';
import type { CallLog, Disposition, Note } from '../types.ts';

/** One step of ivr_path in words: `{step: 'menu', ivr: …}`, `{step: 'action', type: 'queue', value: '5001'}`, … */
export function describeStep(step: unknown): string {
  if (typeof step !== 'object' || step === null) return String(step);
  const s = step as Record<string, unknown>;
  const words = Object.entries(s)
    .filter(([k, v]) => k !== 'step' && k !== 'at' && v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return `${typeof s.step === 'string' ? s.step : 'step'}${words.length ? `: ${words.join(', ')}` : ''}`;
}

export async function callDetail(session: Session, id: string, box: HTMLElement): Promise<void> {
  fill(box, h('p', {}, 'Loading…'));
  try {
    const [call, notes, dispositions] = await Promise.all([
      session.api.get<CallLog>(`/call-logs/${id}`),
      session.api.get<Note[]>(`/call-logs/${id}/notes`),
      session.api.get<Disposition[]>('/dispositions').catch(() => []),
    ]);
    const audio = call.recording_url ? h('audio', { controls: true, preload: 'metadata', 'aria-label': 'Recording of the call' }) : null;
    if (audio && call.recording_url) audio.src = await session.api.mediaUrl(new URL(call.recording_url, location.href).pathname);

    const disposition = select('disposition', [['', 'No change'], ...dispositions.map((d): [string, string] => [d.name, d.name])], '');
    const note = h('textarea', { name: 'note', rows: 2 });
    const addNote = async (e: Event) => {
      e.preventDefault();
      const body: Record<string, string> = {};
      if (disposition.value) body.disposition = disposition.value;
      if (note.value.trim()) body.note = note.value.trim();
      if (Object.keys(body).length === 0) {
        notify('Write a note or choose a disposition', 'error');
        return;
      }
      try {
        await session.api.post(`/call-logs/${id}/notes`, body);
        notify('Note saved', 'ok');
        await callDetail(session, id, box);
      } catch (err) {
        notify(messageOf(err), 'error');
      }
    };

    fill(box, h('section', { class: 'card', 'aria-labelledby': 'call-title' },
      h('h2', { id: 'call-title', tabindex: -1 }, `Call from ${call.caller_number ?? 'unknown'} to ${call.did ?? '—'}`),
      h('dl', { class: 'facts' },
        ...([['Started', formatTime(call.start_time)], ['Ended', formatTime(call.end_time) || 'in progress'], ['Status', call.status],
          ['Outcome', call.outcome ?? '—'], ['Ended in', call.left_at ?? '—'], ['Keys', call.dtmf_input || '—'], ['Disposition', call.disposition ?? '—']] as const)
          .flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      h('h3', {}, 'Path'),
      call.ivr_path.length ? h('ol', { class: 'path' }, ...call.ivr_path.map((s) => h('li', {}, describeStep(s)))) : h('p', {}, 'No steps recorded.'),
      h('h3', {}, 'Recording'),
      audio ?? h('p', {}, 'No recording.'),
      h('h3', {}, 'Notes'),
      notes.length ? table('Notes', ['When', 'Disposition', 'Note'], notes, (n) => [formatTime(n.createdAt), n.disposition ?? '—', n.note ?? '']) : h('p', {}, 'No notes yet.'),
      session.can('call.write')
        ? h('form', { on: { submit: (e) => void addNote(e) } },
          field('Disposition', disposition), field('Note', note),
          h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save note')))
        : null));
    box.querySelector<HTMLElement>('#call-title')?.focus();
  } catch (err) {
    fill(box, h('p', { class: 'error' }, messageOf(err)));
  }
}
