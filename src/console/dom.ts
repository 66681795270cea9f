/** Building the page without innerHTML: elements from data, labelled fields, a polite status line. */

type Child = Node | string | null | undefined | false;
type Handler = (event: Event) => void;
export interface Props {
  [attribute: string]: string | number | boolean | null | undefined | Record<string, Handler>;
}

/** `h('button', { class: 'primary', on: { click } }, 'Save')`. Text is always text (never parsed as HTML). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'on' && typeof value === 'object' && value !== null) {
      for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
    } else if (key === 'value' || key === 'checked') {
      (el as unknown as Record<string, unknown>)[key] = value;
    } else if (value === true) el.setAttribute(key, '');
    else if (value !== false && value !== null && value !== undefined && typeof value !== 'object') el.setAttribute(key, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Element, ...children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) parent.append(c);
}

/** Replaces an element's content. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

export function uid(prefix = 'f'): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/** A label bound to its control (every input has one), with an optional hint read by screen readers. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLDivElement {
  control.id ||= uid();
  const hintEl = hint ? h('small', { id: `${control.id}-hint`, class: 'hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

export function input(name: string, value: string | number | null | undefined, props: Props = {}): HTMLInputElement {
  return h('input', { name, value: value === null || value === undefined ? '' : String(value), ...props });
}

export function select(name: string, options: Array<[value: string, label: string]>, selected: string | null | undefined, props: Props = {}): HTMLSelectElement {
  const el = h('select', { name, ...props });
  for (const [value, label] of options) el.append(h('option', { value }, label));
  if (selected !== null && selected !== undefined) el.value = selected;
  return el;
}

export function button(label: string, onClick: Handler, props: Props = {}): HTMLButtonElement {
  return h('button', { type: 'button', ...props, on: { click: onClick } }, label);
}

/** The page's status line (aria-live): what just happened, or what went wrong. */
export function notify(message: string, kind: 'ok' | 'error' | 'info' = 'info'): void {
  const el = document.getElementById('status');
  if (!el) return;
  el.className = `status ${kind}`;
  el.textContent = message;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

/** A table from rows; `cells` builds each row's cells. */
export function table<T>(caption: string, headers: string[], rows: T[], cells: (row: T) => Child[]): HTMLTableElement {
  return h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', { scope: 'col' }, x)))),
    // data-label: on a narrow screen each row stacks, every cell under its column's name (console.css).
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...cells(r).map((c, i) => h('td', { 'data-label': headers[i] ?? '' }, c))))),
  );
}
