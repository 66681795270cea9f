/**
 * Inspector for an IVR node: its settings, its greeting (type it, pick the voice, generate it and hear it
 * at once), and adding an option.
 */
import { messageOf } from '../api.ts';
import { button, field, h, input, notify, select } from '../dom.ts';
import type { Ivr } from '../types.ts';
import { intOrNull, type BuilderContext } from './context.ts';
import { DIGITS } from './tree-model.ts';
import { optionForm } from './option-form.ts';

export function ivrForm(ctx: BuilderContext, ivr: Ivr, nodeKey: string): HTMLElement {
  const ro = !ctx.canEdit;
  const name = input('name', ivr.name, { required: true, disabled: ro });
  const extension = input('extension', ivr.extension, { inputmode: 'numeric', pattern: '\\d{4}', disabled: ro });
  const description = input('description', ivr.description, { disabled: ro });
  const timeout = input('timeout', ivr.timeout, { type: 'number', min: 0, max: 120, disabled: ro });
  const interDigit = input('inter_digit_timeout', ivr.inter_digit_timeout, { type: 'number', min: 1, max: 30, disabled: ro });
  const maxRetries = input('max_retries', ivr.max_retries, { type: 'number', min: 1, max: 10, disabled: ro });
  const status = select('status', [['active', 'Active'], ['inactive', 'Inactive']], ivr.status, { disabled: ro });

  const save = async () => {
    try {
      await ctx.api.put(`/ivrs/${ivr.id}`, {
        name: name.value.trim(), extension: extension.value.trim(), description: description.value.trim() || null,
        timeout: intOrNull(timeout) ?? 10, inter_digit_timeout: intOrNull(interDigit) ?? 3, max_retries: intOrNull(maxRetries) ?? 3,
        status: status.value,
      });
      await ctx.saved(`Saved ${name.value.trim()}`);
    } catch (err) {
      notify(messageOf(err), 'error');
    }
  };

  const addOption = () => {
    const used = new Set(ivr.menuOptions.map((o) => o.digit));
    const digit = DIGITS.find((d) => !used.has(d));
    if (!digit) {
      notify('Every key 0–9, * and # already has an option', 'error');
      return;
    }
    ctx.showForm(optionForm(ctx, ivr, null, nodeKey, digit));
  };

  return h('div', { class: 'ivr-form' },
    h('h2', {}, `Menu: ${ivr.name}`),
    greetingPanel(ctx, ivr),
    h('form', { class: 'grid', on: { submit: (e) => { e.preventDefault(); void save(); } } },
      h('h3', {}, 'Settings'),
      field('Name', name), field('Extension', extension, '4 digits, unique across menus, queues and extensions'),
      field('Description', description),
      field('Wait for a key (seconds)', timeout, '0 waits for ever'), field('Between direct-dial digits (seconds)', interDigit),
      field('Tries (each for timeouts and for invalid keys)', maxRetries), field('Status', status),
      ro ? null : h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save settings'))),
    ro ? null : h('div', { class: 'actions' }, button('Add option', addOption)),
  );
}

/** The greeting: text, language and voice; Generate synthesizes it on the server and the page plays it. */
function greetingPanel(ctx: BuilderContext, ivr: Ivr): HTMLElement {
  const ro = !ctx.canEdit;
  const text = h('textarea', { name: 'greeting_text', rows: 3, disabled: ro }, ivr.greeting_text ?? '');
  const language = input('greeting_language', ivr.greeting_language, { disabled: ro });
  const voice = input('greeting_voice', ivr.greeting_voice, { disabled: ro });
  const audio = h('audio', { controls: true, preload: 'none', class: 'greeting-audio', 'aria-label': `Greeting of ${ivr.name}` });
  const info = h('p', { class: 'hint', 'aria-live': 'polite' });

  const load = async (play: boolean) => {
    audio.src = await ctx.api.mediaUrl(`/ivrs/${ivr.id}/greeting-audio`);
    audio.preload = play ? 'auto' : 'metadata';
    audio.load();
    if (play) await audio.play().catch(() => undefined); // a browser may refuse to play without a fresh gesture
  };

  const generate = async () => {
    info.textContent = 'Generating…';
    try {
      const r = await ctx.api.post<{ engine: string; duration_ms: number }>(`/ivrs/${ivr.id}/generate-greeting`, {
        text: text.value.trim(), language: language.value.trim() || undefined, voice: voice.value.trim() || undefined,
      });
      info.textContent = `Generated with ${r.engine}, ${(r.duration_ms / 1000).toFixed(1)} s`;
      ivr.greeting_text = text.value.trim();
      ivr.greeting_prompt = `greeting_ivr_${ivr.id}`;
      await load(true);
      await ctx.saved('Greeting generated', { keepInspector: true });
    } catch (err) {
      info.textContent = '';
      notify(messageOf(err), 'error');
    }
  };

  if (ivr.greeting_prompt) void load(false).catch(() => undefined);
  return h('section', { class: 'greeting', 'aria-labelledby': `greeting-${ivr.id}` },
    h('h3', { id: `greeting-${ivr.id}` }, 'Greeting'),
    field('What callers hear first', text),
    h('div', { class: 'grid' }, field('Language', language, 'e.g. en-IN'), field('Voice', voice, 'e.g. en-IN-Wavenet-D')),
    ro ? null : h('div', { class: 'actions' }, button('Generate and play', () => void generate(), { class: 'primary' })),
    ivr.greeting_prompt || !ro ? audio : h('p', { class: 'hint' }, 'No greeting generated yet'),
    info);
}
