/** Calls in progress, pushed by the server (GET /live-calls/stream): who calls which number, where in the menu, with whom. */
import { fill, formatDuration, h, table } from '../dom.ts';
import type { Session } from '../session.ts';
import { followEvents } from '../sse.ts';
import type { LiveCall } from '../types.ts';
import type { View } from '../view.ts';

const STATE: Record<string, string> = {
  ringing: 'Ringing', answered: 'Answered', in_menu: 'In the menu', transferred: 'Being connected', bridged: 'Talking', bot: 'With an AI agent',
  in_progress: 'In progress (another controller)',
};

export function liveView(session: Session): View {
  const calls = new Map<string, LiveCall>();
  const ivrNames = new Map<string, string>();
  const state = h('p', { class: 'conn', role: 'status' }, 'Connecting…');
  // Not a live region: it changes every second; the status line above says when the connection changes.
  const body = h('div', {});
  const since = (iso: string) => formatDuration((Date.now() - Date.parse(iso)) / 1000);

  const where = (c: LiveCall) => {
    const menu = c.ivr_name ?? (c.ivr_id ? ivrNames.get(c.ivr_id) ?? '' : '');
    const s = c.last_selection;
    const to = s?.destination ? ` ${s.action === 'ivr' ? ivrNames.get(s.destination) ?? s.destination : s.destination}` : '';
    const sel = s ? `pressed ${s.digits} → ${s.action}${to}` : '';
    return [menu, sel].filter(Boolean).join(', ') || '—';
  };
  const draw = () => {
    const list = [...calls.values()].sort((a, b) => a.started_at.localeCompare(b.started_at));
    fill(body, list.length === 0
      ? h('p', {}, 'No calls right now.')
      : table('Calls in progress', ['Caller', 'Number called', 'State', 'Menu', 'Keys', 'With', 'Duration'], list, (c) => [
        c.contact_name ? `${c.contact_name} (${c.caller ?? ''})` : c.caller ?? 'unknown', c.did ?? '', STATE[c.state] ?? c.state, where(c),
        c.digits || '—', c.with ?? '—', h('span', { 'data-start': c.started_at }, since(c.started_at)),
      ]));
  };

  if (session.can('ivr.read')) {
    session.api.get<Array<{ id: string; name: string }>>('/ivrs').then((ivrs) => {
      for (const i of ivrs) ivrNames.set(i.id, i.name);
      draw();
    }, () => undefined);
  }

  const stop = followEvents(session.api, '/live-calls/stream', {
    onState: (s) => {
      state.textContent = { open: 'Live', connecting: 'Connecting…', closed: 'Disconnected; reconnecting…', denied: 'Not allowed: sign in again' }[s];
      state.dataset.state = s;
    },
    onEvent: (e) => {
      const data = JSON.parse(e.data) as { calls?: LiveCall[]; call_id?: string; call?: LiveCall | null };
      if (e.event === 'snapshot' && data.calls) {
        calls.clear();
        for (const c of data.calls) calls.set(c.call_id, c);
      } else if (e.event === 'update' && data.call_id) {
        if (data.call) calls.set(data.call_id, { ...calls.get(data.call_id), ...data.call, ivr_name: data.call.ivr_name ?? calls.get(data.call_id)?.ivr_name ?? null });
        else calls.delete(data.call_id);
      }
      draw();
    },
  });
  const tick = setInterval(() => {
    for (const el of body.querySelectorAll<HTMLElement>('[data-start]')) el.textContent = since(el.dataset.start ?? '');
  }, 1000);

  return {
    title: 'Live calls',
    element: h('section', { 'aria-labelledby': 'live-title' }, h('h1', { id: 'live-title' }, 'Live calls'), state, body),
    dispose: () => {
      stop();
      clearInterval(tick);
    },
  };
}
