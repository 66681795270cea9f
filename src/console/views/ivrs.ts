/** All menus (IVRs): open one in the builder, or start a new one. */
import { messageOf } from '../api.ts';
import { field, h, input, notify, table } from '../dom.ts';
import type { Session } from '../session.ts';
import type { Ivr } from '../types.ts';
import type { View } from '../view.ts';

export function ivrsView(session: Session): View {
  const list = h('div', {}, h('p', {}, 'Loading…'));
  const name = input('name', '', { required: true, maxlength: 100 });
  const extension = input('extension', '', { required: true, inputmode: 'numeric', pattern: '\\d{4}', placeholder: '7001' });

  const create = async (e: Event) => {
    e.preventDefault();
    try {
      const ivr = await session.api.post<Ivr>('/ivrs', { name: name.value.trim(), extension: extension.value.trim() });
      notify(`Created ${ivr.name}`, 'ok');
      location.hash = `#/builder/${ivr.id}`;
    } catch (err) {
      notify(messageOf(err), 'error');
    }
  };

  session.api.get<Ivr[]>('/ivrs').then((ivrs) => {
    list.replaceChildren(ivrs.length === 0
      ? h('p', {}, 'No menus yet.')
      : table('Menus', ['Menu', 'Extension', 'Options', 'Greeting', ''], ivrs, (i) => [
        i.name, i.extension, String(i.menuOptions.length), i.greeting_text ?? '—',
        h('a', { href: `#/builder/${i.id}` }, `Open ${i.name} in the builder`),
      ]));
  }, (err: unknown) => notify(messageOf(err), 'error'));

  return {
    title: 'Menus',
    element: h('section', { 'aria-labelledby': 'ivrs-title' },
      h('h1', { id: 'ivrs-title' }, 'Menus (IVRs)'),
      list,
      session.can('ivr.write')
        ? h('form', { class: 'card', on: { submit: (e) => void create(e) } },
          h('h2', {}, 'New menu'),
          h('div', { class: 'grid' }, field('Name', name), field('Extension', extension, '4 digits, unique across menus, queues and extensions')),
          h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create menu')))
        : null),
  };
}
