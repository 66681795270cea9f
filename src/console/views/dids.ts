/** Phone numbers (DIDs) and where each routes; change a route (live at once) with did.write. */
import { messageOf } from '../api.ts';
import { describe, loadCatalog, type Catalog } from '../catalog.ts';
import { destinationPicker } from '../destination.ts';
import { button, fill, h, notify, table } from '../dom.ts';
import type { Session } from '../session.ts';
import type { Did } from '../types.ts';
import type { View } from '../view.ts';

export function didsView(session: Session): View {
  const body = h('div', {}, h('p', {}, 'Loading…'));
  const editor = h('div', { 'aria-live': 'polite' });
  const canEdit = session.can('did.write');

  const edit = (did: Did, catalog: Catalog, reload: () => void) => {
    const picker = destinationPicker({
      legend: `Route ${did.number} to`, types: catalog.types.did, catalog,
      value: did.routing_type ? { type: did.routing_type, value: did.routing_destination } : null, none: 'Not routed',
    });
    const save = async (e: Event) => {
      e.preventDefault();
      const d = picker.read();
      if (!d) {
        notify('Choose where the number goes', 'error');
        return;
      }
      try {
        const r = await session.api.put<{ warnings: string[] }>(`/dids/${did.id}`, { routing_type: d.type, routing_destination: d.value });
        notify(`${did.number} now goes to ${describe(catalog, d)}${r.warnings.length ? ` (${r.warnings.join('; ')})` : ''}`, 'ok');
        fill(editor);
        reload();
      } catch (err) {
        notify(messageOf(err), 'error');
      }
    };
    fill(editor, h('form', { class: 'card', on: { submit: (e) => void save(e) } },
      h('h2', {}, `Routing of ${did.number}`), picker.element,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save routing'), button('Cancel', () => fill(editor)))));
    editor.querySelector('select')?.focus();
  };

  const load = () => {
    Promise.all([session.api.get<Did[]>('/dids'), loadCatalog(session.api, session.can)]).then(([dids, catalog]) => {
      fill(body, dids.length === 0
        ? h('p', {}, 'No phone numbers yet.')
        : table('Phone numbers', ['Number', 'Description', 'Status', 'Goes to', ''], dids, (d) => [
          d.number, d.description ?? '', d.status,
          d.routing_type ? describe(catalog, { type: d.routing_type, value: d.routing_destination }) : 'Not routed',
          h('span', { class: 'row-actions' },
            d.routing_type === 'ivr' && d.routing_destination ? h('a', { href: `#/builder/${d.routing_destination}` }, 'Open menu') : null,
            canEdit ? button('Edit routing', () => edit(d, catalog, load), { 'aria-label': `Edit routing of ${d.number}` }) : null),
        ]));
    }, (err: unknown) => notify(messageOf(err), 'error'));
  };
  load();

  return { title: 'Numbers', element: h('section', { 'aria-labelledby': 'dids-title' }, h('h1', { id: 'dids-title' }, 'Phone numbers'), body, editor) };
}
