/** AI agents (bots): list, create and edit, test the connection to the bot, and see its recent calls (bot legs). */
import { messageOf } from '../api.ts';
import { loadCatalog, type Catalog } from '../catalog.ts';
import { button, fill, formatTime, h, notify, table } from '../dom.ts';
import type { Session } from '../session.ts';
import type { Agent, BotLeg } from '../types.ts';
import type { View } from '../view.ts';
import { agentForm } from './agent-form.ts';

export function agentsView(session: Session, selectedId: string | null): View {
  const list = h('div', {}, h('p', {}, 'Loading…'));
  const panel = h('div', {});
  const canEdit = session.can('agent.write');

  const open = (agent: Agent | null, catalog: Catalog) => {
    const probe = h('p', { class: 'probe', role: 'status' });
    const legs = h('div', {});
    const test = async () => {
      if (!agent) return;
      probe.textContent = 'Connecting…';
      probe.className = 'probe';
      try {
        const r = await session.api.post<{ ok: boolean; latency_ms: number; error: string | null }>(`/ai-agents/${agent.id}/test-connect`);
        probe.textContent = r.ok ? `Connected in ${r.latency_ms} ms` : `Failed after ${r.latency_ms} ms: ${r.error ?? 'unknown error'}`;
        probe.className = `probe ${r.ok ? 'ok' : 'error'}`;
      } catch (err) {
        probe.textContent = messageOf(err);
        probe.className = 'probe error';
      }
    };
    if (agent) {
      session.api.get<{ legs: BotLeg[]; total: number }>(`/ai-agents/${agent.id}/legs?limit=20`).then((page) => {
        fill(legs, h('h3', {}, `Recent calls (${page.total})`), page.legs.length
          ? table('Recent bot legs', ['Started', 'Duration', 'Ended by', 'Detail', 'Keys'], page.legs, (l) => [
            formatTime(l.started_at), `${(l.duration_ms / 1000).toFixed(1)} s`, l.end_reason, l.end_detail ?? '', l.dtmf || '—',
          ])
          : h('p', {}, 'No calls yet.'));
      }, (err: unknown) => fill(legs, h('p', { class: 'error' }, messageOf(err))));
    }
    fill(panel, h('section', { class: 'card' },
      agentForm(session, agent, catalog, (saved) => { location.hash = `#/agents/${saved.id}`; load(saved.id); }),
      agent && canEdit ? h('div', { class: 'actions' }, button('Test connection', () => void test())) : null,
      probe, legs));
  };

  const load = (selected: string | null) => {
    Promise.all([session.api.get<Agent[]>('/ai-agents'), loadCatalog(session.api, session.can)]).then(([agents, catalog]) => {
      fill(list,
        agents.length ? table('AI agents', ['Name', 'WebSocket URL', 'Dialect', ''], agents, (a) => [
          a.name, a.ws_url, a.dialect, h('a', { href: `#/agents/${a.id}` }, `Open ${a.name}`),
        ]) : h('p', {}, 'No AI agents yet.'),
        canEdit ? h('div', { class: 'actions' }, button('New AI agent', () => open(null, catalog))) : null);
      const agent = agents.find((a) => a.id === selected);
      if (agent) open(agent, catalog);
    }, (err: unknown) => notify(messageOf(err), 'error'));
  };
  load(selectedId);

  return { title: 'AI agents', element: h('section', { 'aria-labelledby': 'agents-title' }, h('h1', { id: 'agents-title' }, 'AI agents'), list, panel) };
}
