/**
 * The console's entry: sign in, then the shell (navigation, status line) and one screen per route
 * (#/numbers, #/ivrs, #/builder/<id>, #/versions[/n], #/live, #/calls, #/agents[/id]).
 */
import { messageOf } from './api.ts';
import { builderView } from './builder/builder.ts';
import { fill, h, notify } from './dom.ts';
import { forgetCredential, loginView, openSession, savedCredential, type Session } from './session.ts';
import type { View } from './view.ts';
import { agentsView } from './views/agents.ts';
import { callsView } from './views/calls.ts';
import { didsView } from './views/dids.ts';
import { ivrsView } from './views/ivrs.ts';
import { liveView } from './views/live.ts';
import { versionsView } from './views/versions.ts';

const NAV: Array<[hash: string, label: string, permission: string]> = [
  ['#/numbers', 'Numbers', 'did.read'],
  ['#/ivrs', 'Menus', 'ivr.read'],
  ['#/versions', 'Versions', 'ivr.read'],
  ['#/live', 'Live calls', 'call.read'],
  ['#/calls', 'Call logs', 'call.read'],
  ['#/agents', 'AI agents', 'agent.read'],
];

function route(session: Session, hash: string): View {
  const [, name = '', arg = ''] = hash.split('/');
  switch (name) {
    case 'ivrs': return ivrsView(session);
    case 'builder': return arg ? builderView(session, decodeURIComponent(arg)) : ivrsView(session);
    case 'versions': return versionsView(session, arg ? Number.parseInt(arg, 10) : null);
    case 'live': return liveView(session);
    case 'calls': return callsView(session);
    case 'agents': return agentsView(session, arg ? decodeURIComponent(arg) : null);
    default: return didsView(session);
  }
}

/** Draws the signed-in page; returns what stops it (listeners, the current screen's streams). */
function shell(session: Session, root: HTMLElement): () => void {
  const main = h('main', { id: 'main', tabindex: -1 });
  const nav = h('nav', { 'aria-label': 'Console' }, h('ul', {},
    ...NAV.filter(([, , p]) => session.can(p)).map(([hash, label]) => h('li', {}, h('a', { href: hash }, label)))));
  const who = session.me.kind === 'api_key' ? 'API key' : session.me.role ?? 'user';
  const readOnly = !session.me.allowed.some((p) => p.endsWith('.write'));
  fill(root,
    h('a', { class: 'skip', href: '#main', on: { click: (e) => { e.preventDefault(); main.focus(); } } }, 'Skip to content'),
    h('header', { class: 'top' },
      h('span', { class: 'brand' }, 'Switchboard'),
      nav,
      h('span', { class: 'who' }, `${session.orgName ?? ''} · ${who}${readOnly ? ' (read-only)' : ''}`),
      h('button', { type: 'button', on: { click: () => session.signOut() } }, 'Sign out')),
    h('p', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    main);

  let current: View | null = null;
  const show = () => {
    current?.dispose?.();
    notify('');
    const hash = location.hash || '#/numbers';
    try {
      current = route(session, hash);
    } catch (err) {
      current = { title: 'Error', element: h('p', { class: 'error' }, messageOf(err)) };
    }
    for (const a of nav.querySelectorAll('a')) {
      const here = hash.startsWith(a.getAttribute('href') ?? '') || (hash.startsWith('#/builder') && a.getAttribute('href') === '#/ivrs');
      if (here) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    document.title = `${current.title} · Switchboard`;
    fill(main, current.element);
  };
  window.addEventListener('hashchange', show);
  show();
  return () => {
    window.removeEventListener('hashchange', show);
    current?.dispose?.();
  };
}

/** Signs in (or reuses the tab's credential) and shows the console; signing out comes back here. */
function boot(root: HTMLElement): void {
  let teardown: (() => void) | null = null;
  const start = async (message?: string): Promise<void> => {
    teardown?.();
    teardown = null;
    const credential = savedCredential();
    if (credential) {
      const session = await openSession(credential, () => void start('Signed out')).catch((err: unknown) => {
        fill(root, h('p', { class: 'error' }, messageOf(err)));
        return undefined;
      });
      if (session === undefined) return;
      if (session) {
        teardown = shell(session, root);
        return;
      }
      forgetCredential();
      message = 'The credential was refused: sign in again';
    }
    const view = loginView(() => void start());
    fill(root, view);
    if (message) view.querySelector('[role=alert]')?.append(message);
    view.querySelector('input')?.focus();
  };
  void start();
}

const root = document.getElementById('app');
if (root) boot(root);
