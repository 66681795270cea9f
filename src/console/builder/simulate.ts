/**
 * The test call: POST /api/v1/simulate walks the menus as a caller would (the draft or the published
 * configuration), pressing the keys given ("1", "1001#", "timeout"), and tells what the caller heard and where
 * the call ended. Nothing is dialled.
 */
import { ApiError, messageOf, type Api } from '../api.ts';
import { field, fill, h, input, select } from '../dom.ts';
import type { SimulateEvent, SimulateResult } from '../types.ts';

/** "1 2 timeout" / "1, 1001#" → keys. */
export function parseKeys(text: string): string[] {
  return text.split(/[\s,]+/).map((k) => k.trim()).filter(Boolean);
}

/** The IVR ids a result passed through (ivrPath holds ids, or steps naming one). */
export function ivrIdsOf(result: SimulateResult): Set<string> {
  const ids = new Set<string>();
  for (const step of result.ivrPath ?? []) {
    if (typeof step === 'string') ids.add(step);
    else if (step && typeof step === 'object') {
      const s = step as Record<string, unknown>;
      const id = s.ivrId ?? s.ivr_id ?? (s.step === 'menu' || s.type === 'menu' ? s.value : undefined);
      if (typeof id === 'string') ids.add(id);
    }
  }
  for (const e of result.events) if (e.type === 'menu' && typeof e.ivrId === 'string') ids.add(e.ivrId);
  return ids;
}

function describeEvent(e: SimulateEvent, ivrName: (id: string) => string): string {
  const text = (k: string) => (typeof e[k] === 'string' || typeof e[k] === 'number' ? String(e[k]) : '');
  switch (e.type) {
    case 'menu': return `Menu: ${e.ivrId ? ivrName(e.ivrId) : ''}`;
    case 'prompt': return `Hears: ${text('text') || text('prompt') || text('file') || 'a prompt'}`;
    case 'input': return `Presses ${text('digits') || text('keys') || text('key')}`;
    case 'timeout': return 'Presses nothing (timeout)';
    case 'invalid': return `Invalid key ${text('digits')}`.trim();
    case 'action': return `Goes to ${text('action') || text('kind')} ${text('destination')}`.trim();
    case 'end': return `Call ends${text('outcome') ? `: ${text('outcome')}` : ''}`;
    default: return e.type;
  }
}

export function simulatePanel(api: Api, rootId: () => string, ivrName: (id: string) => string, onPath: (ids: Set<string>) => void): HTMLElement {
  const keys = input('keys', '', { placeholder: '1 2 timeout', autocomplete: 'off' });
  const source = select('source', [['draft', 'Draft (what you are editing)'], ['published', 'Published (what callers get)']], 'draft');
  const out = h('div', { class: 'sim-result', 'aria-live': 'polite' });

  const run = async (event: Event) => {
    event.preventDefault();
    fill(out, h('p', {}, 'Calling…'));
    try {
      const r = await api.post<SimulateResult>('/simulate', { ivrId: rootId(), source: source.value, keys: parseKeys(keys.value) });
      onPath(ivrIdsOf(r));
      fill(out,
        h('ol', { class: 'transcript' }, ...r.events.map((e) => h('li', { class: `ev-${e.type}` }, describeEvent(e, ivrName)))),
        h('p', { class: 'sim-end' }, `Ends: ${r.end.kind}${r.end.destination ? ` → ${r.end.destination}` : ''}${r.end.outcome ? ` (${r.end.outcome})` : ''}`),
        r.unusedKeys.length ? h('p', { class: 'hint' }, `Keys not used: ${r.unusedKeys.join(' ')}`) : null);
    } catch (err) {
      const missing = err instanceof ApiError && err.status === 404 && err.code === 'not_found' && /No route/.test(err.message);
      fill(out, h('p', { class: 'error' }, missing ? 'This server has no test calls (POST /api/v1/simulate).' : messageOf(err)));
    }
  };

  return h('section', { class: 'simulate', 'aria-labelledby': 'sim-title' },
    h('h2', { id: 'sim-title' }, 'Test call'),
    h('form', { on: { submit: (e) => void run(e) } },
      h('div', { class: 'grid' },
        field('Keys to press', keys, 'Space-separated: 1, 1001#, or timeout'),
        field('Configuration', source)),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Run test call'))),
    out);
}
