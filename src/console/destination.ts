/**
 * Choosing a destination: its type, then what it names, picked from the organization's lists (a value that no
 * longer exists stays visible, marked missing). "New menu…" and "New schedule…" create one on the spot.
 */
import { TYPE_LABELS, type Catalog } from './catalog.ts';
import { button, field, fill, h, input, select, uid } from './dom.ts';
import type { Destination } from './types.ts';

const NO_VALUE = new Set(['hangup', 'callback', 'repeat']);
const NEW = '__new__';
const OTHER_URL = '__url__';

export interface PickerOptions {
  legend: string;
  types: string[];
  catalog: Catalog;
  value: Destination | null;
  /** Offer "none" with this label (e.g. "Default: goodbye and hang up"); absent = a type is required. */
  none?: string;
  disabled?: boolean;
  /** Creates what "New menu…" / "New schedule…" asks for; absent = not offered. */
  create?: {
    ivr(name: string, extension: string): Promise<string>;
    schedule(name: string, timezone: string): Promise<string>;
  };
}

export interface DestinationPicker {
  element: HTMLFieldSetElement;
  read(): Destination | null;
}

export function destinationPicker(o: PickerOptions): DestinationPicker {
  const types: Array<[string, string]> = o.types.map((t) => [t, TYPE_LABELS[t] ?? t]);
  if (o.none !== undefined) types.unshift(['', o.none]);
  const typeSelect = select('type', types, o.value?.type ?? '', { disabled: o.disabled });
  const valueBox = h('div', { class: 'dest-value' });
  let read: () => string | null = () => null;
  let current = o.value?.value ?? null;

  const choose = (list: Array<[string, string]>, extra: Array<[string, string]> = []) => {
    const options = [...list];
    if (current && !list.some(([v]) => v === current)) options.unshift([current, `${current} (missing)`]);
    if (options.length === 0) options.push(['', '(none yet)']);
    const el = select('value', [...options, ...extra], current ?? options[0]?.[0] ?? '', { disabled: o.disabled });
    return el;
  };

  /** The inline form that creates a menu or schedule, then selects it. */
  const creator = (kind: 'ivr' | 'schedule', picked: HTMLSelectElement) => {
    const name = input('new_name', '', { required: true });
    const second = kind === 'ivr'
      ? input('new_extension', '', { inputmode: 'numeric', pattern: '\\d{4}', placeholder: '7002' })
      : input('new_timezone', Intl.DateTimeFormat().resolvedOptions().timeZone);
    const error = h('p', { class: 'form-error', role: 'alert' });
    const box = h('div', { class: 'creator' },
      field(kind === 'ivr' ? 'New menu name' : 'New schedule name', name),
      field(kind === 'ivr' ? 'Its extension (4 digits)' : 'Timezone (IANA)', second),
      button(kind === 'ivr' ? 'Create menu' : 'Create schedule', () => {
        error.textContent = '';
        const make = kind === 'ivr' ? o.create!.ivr : o.create!.schedule;
        make(name.value.trim(), second.value.trim()).then((id) => {
          current = id;
          render();
          (valueBox.querySelector('select') as HTMLSelectElement | null)?.focus();
        }, (err: unknown) => {
          error.textContent = err instanceof Error ? err.message : String(err);
        });
      }),
      error);
    picked.after(box);
    name.focus();
  };

  const render = () => {
    const type = typeSelect.value;
    const c = o.catalog;
    let control: HTMLElement | null = null;
    let extra: Array<[string, string]> = [];
    if (type === '' || NO_VALUE.has(type)) {
      read = () => null;
    } else if (type === 'extension' || type === 'voicemail' || type === 'intercom') {
      control = choose(c.extensions.map((e) => [e.number, `${e.number} — ${e.name}`]));
    } else if (type === 'queue') {
      control = choose(c.queues.map((q) => [q.number, `${q.number} — ${q.name}`]));
    } else if (type === 'ivr') {
      if (o.create) extra = [[NEW, 'New menu…']];
      control = choose(c.ivrs.map((i) => [i.id, `${i.name} (${i.extension})`]), extra);
    } else if (type === 'time_condition') {
      if (o.create) extra = [[NEW, 'New schedule…']];
      control = choose(c.schedules.map((s) => [s.id, s.name]), extra);
    } else if (type === 'ai_agent') {
      const isUrl = current !== null && /^wss?:\/\//i.test(current);
      control = choose(c.agents.map((a) => [a.id, a.name]), [[OTHER_URL, 'A WebSocket URL…']]);
      const url = input('ws_url', isUrl ? current : '', { placeholder: 'wss://bot.example.com/ws', hidden: !isUrl, disabled: o.disabled });
      const sel = control as HTMLSelectElement;
      if (isUrl) sel.value = OTHER_URL;
      sel.addEventListener('change', () => (url.hidden = sel.value !== OTHER_URL));
      fill(valueBox, field('Agent', sel), field('WebSocket URL', url));
      read = () => (sel.value === OTHER_URL ? url.value.trim() || null : sel.value || null);
      return;
    } else {
      const hint = type === 'external' ? 'E.164, e.g. +919944421125' : 'Text to speak, or a sound file name';
      control = input('value', current, { placeholder: type === 'external' ? '+919944421125' : '', disabled: o.disabled });
      fill(valueBox, field(type === 'external' ? 'Number' : 'Prompt', control, hint));
      read = () => (control as HTMLInputElement).value.trim() || null;
      return;
    }
    if (!control) {
      fill(valueBox);
      return;
    }
    const sel = control as HTMLSelectElement;
    sel.addEventListener('change', () => {
      if (sel.value === NEW) {
        sel.value = current ?? '';
        creator(type === 'ivr' ? 'ivr' : 'schedule', sel);
      } else current = sel.value;
    });
    fill(valueBox, field(TYPE_LABELS[type] ?? 'Destination', sel));
    read = () => (sel.value === '' || sel.value === NEW ? null : sel.value);
  };

  typeSelect.addEventListener('change', () => {
    current = null;
    render();
  });
  render();
  typeSelect.id = uid();
  const element = h('fieldset', { class: 'destination' },
    h('legend', {}, o.legend),
    h('div', { class: 'field' }, h('label', { for: typeSelect.id }, 'Goes to'), typeSelect),
    valueBox);
  return {
    element,
    read: () => (typeSelect.value === '' ? null : { type: typeSelect.value, value: read() }),
  };
}
