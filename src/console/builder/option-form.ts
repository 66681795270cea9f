/**
 * Inspectors for a menu option (its key, what it does and where to, a description) and for an IVR's timeout
 * and invalid-key handling (the prompt between tries, how many tries, where the caller goes after).
 */
import { messageOf } from '../api.ts';
import { destinationPicker } from '../destination.ts';
import { button, field, h, input, notify, select } from '../dom.ts';
import type { Ivr, MenuOption } from '../types.ts';
import { intOrNull, type BuilderContext } from './context.ts';
import { DIGITS, sortOptions, type FallbackField } from './tree-model.ts';

const menuBody = (options: MenuOption[]) => ({
  options: sortOptions(options).map((o) => ({ digit: o.digit, action_type: o.action_type, action_destination: o.action_destination, description: o.description })),
});

/** `option` null: a new option on key `digit`. `ivrKey`: the IVR node's key (the new option's node is under it). */
export function optionForm(ctx: BuilderContext, ivr: Ivr, option: MenuOption | null, ivrKey: string, digit = option?.digit ?? '1'): HTMLElement {
  const ro = !ctx.canEdit;
  const used = new Set(ivr.menuOptions.filter((o) => o !== option).map((o) => o.digit));
  const key = select('digit', DIGITS.filter((d) => !used.has(d)).map((d) => [d, `Key ${d}`]), digit, { disabled: ro });
  const picker = destinationPicker({
    legend: 'When pressed', types: ctx.catalog.types.menu_option, catalog: ctx.catalog, disabled: ro, create: ro ? undefined : ctx.create,
    value: option ? { type: option.action_type, value: option.action_destination } : { type: 'extension', value: null },
  });
  const description = input('description', option?.description ?? '', { disabled: ro, maxlength: 200 });

  const saveMenu = async (options: MenuOption[], message: string, selectKey: string) => {
    try {
      await ctx.api.put(`/ivrs/${ivr.id}/menu`, menuBody(options));
      await ctx.saved(message, { selectKey });
    } catch (err) {
      notify(messageOf(err), 'error');
    }
  };
  const save = () => {
    const d = picker.read();
    if (!d) return;
    const next: MenuOption = { digit: key.value, action_type: d.type, action_destination: d.value, description: description.value.trim() || null };
    const others = ivr.menuOptions.filter((o) => o !== option);
    void saveMenu([...others, next], `Saved key ${next.digit} of ${ivr.name}`, `${ivrKey}/${next.digit}`);
  };
  const remove = () => {
    if (!option) return;
    void saveMenu(ivr.menuOptions.filter((o) => o !== option), `Removed key ${option.digit} of ${ivr.name}`, ivrKey);
  };

  return h('form', { class: 'option-form', on: { submit: (e) => { e.preventDefault(); save(); } } },
    h('h2', {}, option ? `${ivr.name}: key ${option.digit}` : `${ivr.name}: new option`),
    field('Key', key),
    picker.element,
    field('Description', description, 'Shown in the tree and in reports, e.g. "Sales"'),
    ro ? null : h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, option ? 'Save option' : 'Add option'),
      option ? button('Remove option', remove, { class: 'danger' }) : null));
}

/** The timeout (no key in time) or invalid (a key with no option) handling of an IVR. */
export function fallbackForm(ctx: BuilderContext, ivr: Ivr, which: FallbackField): HTMLElement {
  const ro = !ctx.canEdit;
  const timeout = which === 'timeout_destination';
  const promptField = timeout ? 'timeout_prompt' : 'invalid_prompt';
  const retriesField = timeout ? 'timeout_retries' : 'invalid_retries';
  const prompt = input(promptField, ivr[promptField], { disabled: ro, placeholder: 'Built-in prompt' });
  const retries = input(retriesField, ivr[retriesField], { type: 'number', min: 1, max: 10, disabled: ro, placeholder: String(ivr.max_retries) });
  const picker = destinationPicker({
    legend: timeout ? 'After the last timeout' : 'After the last invalid key', types: ctx.catalog.types.final, catalog: ctx.catalog,
    value: ivr[which], none: 'Default: goodbye and hang up', disabled: ro, create: ro ? undefined : ctx.create,
  });
  const save = async () => {
    try {
      await ctx.api.put(`/ivrs/${ivr.id}`, { [which]: picker.read(), [promptField]: prompt.value.trim() || null, [retriesField]: intOrNull(retries) });
      await ctx.saved(`Saved ${timeout ? 'timeout' : 'invalid-key'} handling of ${ivr.name}`);
    } catch (err) {
      notify(messageOf(err), 'error');
    }
  };
  return h('form', { class: 'fallback-form', on: { submit: (e) => { e.preventDefault(); void save(); } } },
    h('h2', {}, `${ivr.name}: ${timeout ? 'on timeout' : 'on invalid key'}`),
    field(timeout ? 'Prompt when no key comes' : 'Prompt after an invalid key', prompt, 'A sound file name (e.g. sorry.wav); blank = built-in'),
    field('Tries before moving on', retries, `Blank = the menu's ${ivr.max_retries}`),
    picker.element,
    ro ? null : h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save')));
}
