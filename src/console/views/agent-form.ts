/** Creating or editing an AI agent: its WebSocket, headers (stored values stay hidden), audio, prompt and fallback. */
import { messageOf } from '../api.ts';
import type { Catalog } from '../catalog.ts';
import { destinationPicker } from '../destination.ts';
import { field, h, input, notify, select } from '../dom.ts';
import type { Session } from '../session.ts';
import type { Agent } from '../types.ts';

/** "Name: value" per line ↔ headers. A stored value shows as ••••, which keeps it when saved back. */
export function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

export function agentForm(session: Session, agent: Agent | null, catalog: Catalog, done: (saved: Agent) => void): HTMLElement {
  const ro = !session.can('agent.write');
  const name = input('name', agent?.name ?? '', { required: true, disabled: ro });
  const url = input('ws_url', agent?.ws_url ?? '', { required: true, placeholder: 'wss://bot.example.com/ws', disabled: ro });
  const headers = h('textarea', { name: 'headers', rows: 2, disabled: ro }, Object.entries(agent?.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n'));
  const dialect = select('dialect', [['native', 'Native (docs/bot-protocol.md)'], ['twilio', 'Twilio Media Streams']], agent?.dialect ?? 'native', { disabled: ro });
  const audio = select('audio_format', [['l16_8k', 'L16 8 kHz'], ['l16_16k', 'L16 16 kHz'], ['l16_24k', 'L16 24 kHz'], ['pcmu_8k', 'G.711 µ-law 8 kHz']], agent?.audio_format ?? 'l16_16k', { disabled: ro });
  const language = input('language', agent?.language ?? 'en-IN', { disabled: ro });
  const prompt = h('textarea', { name: 'system_prompt', rows: 3, disabled: ro }, agent?.system_prompt ?? '');
  const opening = input('opening_text', agent?.opening_text ?? '', { disabled: ro });
  const timeout = input('connect_timeout_ms', agent?.connect_timeout_ms ?? 3000, { type: 'number', min: 500, max: 10000, disabled: ro });
  const fallback = destinationPicker({
    legend: 'When the bot cannot be reached', types: catalog.types.final.filter((t) => t !== 'ai_agent'), catalog,
    value: agent?.fallback_destination ?? null, none: 'Default: goodbye and hang up', disabled: ro,
  });

  const save = async (e: Event) => {
    e.preventDefault();
    const body = {
      name: name.value.trim(), ws_url: url.value.trim(), headers: parseHeaders(headers.value), dialect: dialect.value, audio_format: audio.value,
      language: language.value.trim(), system_prompt: prompt.value.trim() || null, opening_text: opening.value.trim() || null,
      connect_timeout_ms: Number.parseInt(timeout.value, 10) || 3000, fallback_destination: fallback.read(),
    };
    try {
      const saved = agent ? await session.api.put<Agent>(`/ai-agents/${agent.id}`, body) : await session.api.post<Agent>('/ai-agents', body);
      notify(`Saved ${saved.name}`, 'ok');
      done(saved);
    } catch (err) {
      notify(messageOf(err), 'error');
    }
  };

  return h('form', { class: 'agent-form', on: { submit: (e) => void save(e) } },
    h('h2', {}, agent ? `AI agent: ${agent.name}` : 'New AI agent'),
    h('div', { class: 'grid' },
      field('Name', name), field('WebSocket URL', url),
      field('Dialect', dialect), field('Audio', audio), field('Language', language), field('Connect timeout (ms)', timeout)),
    field('Headers (one "Name: value" per line)', headers, 'Stored values show as ••••; leave them to keep them'),
    field('Instructions (system prompt)', prompt), field('Opening line', opening),
    fallback.element,
    ro ? null : h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, agent ? 'Save agent' : 'Create agent')));
}
