/** Published versions, newest first, and what changed in one of them (against the version before it). */
import { messageOf } from '../api.ts';
import { fill, formatTime, h, notify, table } from '../dom.ts';
import type { Session } from '../session.ts';
import type { Version } from '../types.ts';
import type { View } from '../view.ts';
import { diffSnapshots } from './diff.ts';

export function versionsView(session: Session, selected: number | null): View {
  const list = h('div', {}, h('p', {}, 'Loading…'));
  const detail = h('section', { class: 'card', 'aria-live': 'polite', hidden: selected === null });

  const show = async (version: number) => {
    fill(detail, h('p', {}, 'Loading…'));
    detail.hidden = false;
    try {
      const after = await session.api.get<Record<string, unknown>>(`/config/versions/${version}`);
      const before = version > 1 ? await session.api.get<Record<string, unknown>>(`/config/versions/${version - 1}`).catch(() => null) : null;
      const changes = diffSnapshots(before, after);
      fill(detail,
        h('h2', {}, `Version ${version}`),
        changes.length === 0 ? h('p', {}, 'Nothing changed.') : null,
        ...changes.map((c) => h('section', { class: 'change' }, h('h3', {}, c.section), h('ul', {}, ...c.lines.map((l) => h('li', {}, l))))));
    } catch (err) {
      fill(detail, h('p', { class: 'error' }, messageOf(err)));
    }
  };

  session.api.get<Version[]>('/config/versions').then((versions) => {
    fill(list, versions.length === 0
      ? h('p', {}, 'Nothing published yet.')
      : table('Published versions', ['Version', 'Published', 'Sections changed', ''], versions, (v) => [
        String(v.version), formatTime(v.createdAt), v.changed.join(', ') || '—',
        h('a', { href: `#/versions/${v.version}` }, `What changed in version ${v.version}`),
      ]));
  }, (err: unknown) => notify(messageOf(err), 'error'));
  if (selected !== null) void show(selected);

  return { title: 'Versions', element: h('section', { 'aria-labelledby': 'versions-title' }, h('h1', { id: 'versions-title' }, 'Published versions'), list, detail) };
}
