import { transaction } from '../../../db/handle.ts';
import { ACTION_TYPES, DIRECT_DIAL_POLICIES, FINAL_DESTINATION_TYPES, type DirectDialPolicy } from '../../../domain/destinations.ts';
import { clearGreeting } from '../../ivrs/greeting.ts';
import { updateIvr, type DestinationInput, type IvrFields } from '../../ivrs/ivr-service.ts';
import { replaceMenu, validateMenu, type MenuOption, type MenuOptionInput } from '../../ivrs/menu.ts';
import { getIvrWithMenu } from '../../ivrs/queries.ts';
import type { IvrWithMenuDto } from '../../ivrs/dto.ts';
import { stageGreetingFile, type GreetingFileResult } from '../../ivrs/sound-files.ts';
import { IssueList } from '../issues.ts';
import { fromYeastarDest, numberOfId, type DestContext, type YeastarDest } from './destinations.ts';
import { DIAL_EXT_OPTION, INVALID_SLOT, KEY_SLOTS, TIMEOUT_SLOT, toYeastarIvr, type Slot } from './ivr-view.ts';
import { destContext, extensionNames, requireIvrById, type YeastarDeps } from './ivrs.ts';

/** An entry of dial_ext_list / restrict_dial_ext_list as sent (text and text2 are names, ignored on the way in). */
export interface ExtEntryInput {
  text?: string | undefined;
  text2?: string | undefined;
  value: string | number;
  type: string;
}

/** ivr/update's body: `id` and any field of IVR_DetailInfo (the HTTP layer checked names and types). */
export type YeastarIvrUpdate = { id: number } & Record<string, unknown>;

const POLICY_OF = Object.fromEntries(DIRECT_DIAL_POLICIES.map((p) => [DIAL_EXT_OPTION[p], p])) as Record<string, DirectDialPolicy>;

/** Fields of Yeastar features this platform does not have, with the one value that says "off". */
const OFF: Record<string, unknown> = { enb_dial_outb_routes: 0, enb_dial_check_vm: 0, alert_info: '', prompt_manger_enb: 0 };
const OFF_REASON: Record<string, string> = {
  enb_dial_outb_routes: 'callers cannot dial out through an IVR here',
  enb_dial_check_vm: 'callers cannot check voicemail from an IVR here',
  alert_info: 'no Alert-Info header is sent to phones here',
  prompt_manger_enb: 'prompts are not recorded by phone (#9) here',
};

/**
 * ivr/update: the fields sent change; the others stay. A key's destination is its `_dest`, `_dest_prefix` and
 * `_dest_value`: with `_dest` sent, the two others default to ""; without it, they change the current one; sent as
 * ivr/get shows it, it is left alone.
 * `prompt_repeat` is both limits (timeouts and invalid keys). Everything is checked first, every problem named
 * in Yeastar's field names, then written in one transaction.
 */
export async function updateYeastarIvr(deps: YeastarDeps, orgId: string, body: YeastarIvrUpdate): Promise<void> {
  const { db } = deps;
  const row = await requireIvrById(db, orgId, body.id);
  const [ivr, ctx, names] = await Promise.all([getIvrWithMenu(db, orgId, row.id), destContext(deps, orgId), extensionNames(db, orgId)]);
  const current = toYeastarIvr(ivr, ctx, names);
  const has = (k: string) => Object.hasOwn(body, k) && body[k] !== undefined;
  const policy = has('dial_ext_option') ? POLICY_OF[body.dial_ext_option as string]! : row.directDialPolicy as DirectDialPolicy;
  /** Digits of the menu sent to validateMenu, by index: its issues are named after their keys. */
  let menuDigits: string[] = [];
  const issues: IssueList = new IssueList((field) => yeastarField(field, menuDigits, policy));

  for (const [k, off] of Object.entries(OFF)) if (has(k) && body[k] !== off) issues.add(k, `only ${JSON.stringify(off)}: ${OFF_REASON[k]}`);
  if (has('dial_outb_route_list') && (body.dial_outb_route_list as unknown[]).length > 0) issues.add('dial_outb_route_list', 'only []: callers cannot dial out through an IVR here');
  if (has('prompt_manger_password') && !['', '****'].includes(body.prompt_manger_password as string)) {
    issues.add('prompt_manger_password', 'only "" (or the "****" ivr/get shows): prompts are not recorded by phone here');
  }
  for (const s of [...KEY_SLOTS, TIMEOUT_SLOT, INVALID_SLOT]) {
    if (has(s.record) && body[s.record] !== 0) issues.add(s.record, 'only 0: IVR calls are not recorded here, so there is no recording to stop');
  }

  const fields: IvrFields = {};
  if (has('name')) fields.name = body.name as string;
  if (has('number')) fields.extension = body.number as string;
  if (has('resp_timeout')) fields.timeout = body.resp_timeout as number;
  if (has('digit_timeout')) fields.inter_digit_timeout = body.digit_timeout as number;
  if (has('prompt_repeat')) Object.assign(fields, { max_retries: body.prompt_repeat as number, timeout_retries: null, invalid_retries: null });
  if (has('dial_ext_option')) fields.direct_dial_policy = policy;
  const list = directDialList(body, policy, issues);
  if (list !== undefined) fields.direct_dial_list = list;

  const slotDest = (s: Slot): YeastarDest | undefined => {
    const f = s.fields;
    if (!has(f.dest) && !has(f.prefix) && !has(f.value)) return undefined;
    const fallback = has(f.dest) ? { prefix: '', value: '' } : { prefix: current[f.prefix] as string, value: current[f.value] as string };
    const y = {
      dest: has(f.dest) ? (body[f.dest] as string) : (current[f.dest] as string),
      prefix: has(f.prefix) ? (body[f.prefix] as string) : fallback.prefix,
      value: has(f.value) ? String(body[f.value] as string | number) : fallback.value,
    };
    // What ivr/get showed, sent back, is no change (even where it is ours alone, e.g. a tone_stream prompt).
    return y.dest === current[f.dest] && y.prefix === current[f.prefix] && y.value === current[f.value] ? undefined : y;
  };
  const menu = menuChanges(ivr, slotDest, ctx, issues);
  for (const [s, field] of [[TIMEOUT_SLOT, 'timeout_destination'], [INVALID_SLOT, 'invalid_destination']] as const) {
    const y = slotDest(s);
    const d = y && fromYeastarDest(y, s.fields, FINAL_DESTINATION_TYPES, ctx, issues);
    if (d !== undefined) fields[field] = d as DestinationInput | null;
  }

  const prompt = has('prompt') && body.prompt !== current.prompt ? await promptChange(deps, body.prompt as string, issues) : undefined;
  try {
    await transaction(db, async (tx) => {
      menuDigits = menu?.map((o) => String(o.digit)) ?? [];
      const options = menu && (await issues.collectAsync<MenuOption[]>(() => validateMenu(tx, orgId, menu)));
      await issues.collectAsync(() => updateIvr(tx, orgId, row.id, fields));
      issues.throwIfAny();
      if (options) await replaceMenu(tx, orgId, row.id, options);
      if (prompt === 'default') await clearGreeting(tx, deps.config, orgId, row.id);
      else if (prompt && 'staged' in prompt) await prompt.staged.install(tx, orgId, row.id, { greetingPrompt: prompt.prompt, greetingText: null });
    });
  } finally {
    if (prompt && prompt !== 'default' && 'staged' in prompt) await prompt.staged.discard();
  }
}

/** The IVR's menu with the keys sent changed (their description kept), or undefined when no key is sent. */
function menuChanges(
  ivr: IvrWithMenuDto, slotDest: (s: Slot) => YeastarDest | undefined, ctx: DestContext, issues: IssueList,
): MenuOptionInput[] | undefined {
  const options = ivr.menuOptions.map((o): MenuOptionInput => ({
    digit: o.digit, action_type: o.action_type, action_destination: o.action_destination, description: o.description,
  }));
  let changed = false;
  for (const s of KEY_SLOTS) {
    const y = slotDest(s);
    if (!y) continue;
    changed = true;
    const d = fromYeastarDest(y, s.fields, ACTION_TYPES, ctx, issues);
    const at = options.findIndex((o) => o.digit === s.key);
    if (d === undefined) continue;
    if (d === null) {
      if (at >= 0) options.splice(at, 1);
    } else if (at >= 0) options[at] = { ...options[at]!, action_type: d.type, action_destination: d.value };
    else options.push({ digit: s.key, action_type: d.type, action_destination: d.value });
  }
  return changed ? options : undefined;
}

/** The extensions callers may (allow) or may not (restrict) dial: only the list of the IVR's policy can say so. */
function directDialList(body: YeastarIvrUpdate, policy: DirectDialPolicy, issues: IssueList): string[] | undefined {
  let out: string[] | undefined;
  for (const [field, forPolicy, option] of [['dial_ext_list', 'allow_list', 'allow'], ['restrict_dial_ext_list', 'deny_list', 'restrict']] as const) {
    const entries = body[field] as ExtEntryInput[] | undefined;
    if (entries === undefined) continue;
    if (policy !== forPolicy) {
      if (entries.length > 0) issues.add(field, `only with dial_ext_option "${option}" (it is "${DIAL_EXT_OPTION[policy]}"): send []`);
      continue;
    }
    out = [];
    entries.forEach((e, i) => {
      const number = numberOfId(e.value);
      if (e.type !== 'extension') issues.add(`${field}[${i}].type`, `"${e.type}" is not supported: list extensions (type "extension"); there are no extension groups or organizations here`);
      else if (number === null) issues.add(`${field}[${i}].value`, `"${e.value}" is not an extension id (an integer: its 4-digit number, e.g. 1001)`);
      else out!.push(number);
    });
  }
  return out;
}

/** A new `prompt`: "default" (no greeting: the built-in prompt) or one sound file, staged as the greeting. */
async function promptChange(deps: YeastarDeps, prompt: string, issues: IssueList): Promise<'default' | GreetingFileResult | undefined> {
  if (prompt === 'default') return 'default';
  if (prompt.includes(',')) {
    issues.add('prompt', 'one prompt only: "default" or one .wav file of the sounds folder');
    return undefined;
  }
  const staged = await stageGreetingFile(deps.config, prompt);
  if ('problem' in staged) issues.add('prompt', staged.problem);
  return staged;
}

/** Our field (as our services name it) → Yeastar's. */
function yeastarField(field: string, menuDigits: string[], policy: DirectDialPolicy): string {
  const option = /^options\.(\d+)\.(\w+)$/.exec(field);
  if (option) {
    const slot = KEY_SLOTS.find((s) => s.key === menuDigits[Number(option[1])]);
    return slot ? (option[2] === 'action_destination' ? slot.fields.value : slot.fields.dest) : field;
  }
  const renames: Record<string, string> = {
    extension: 'number',
    timeout: 'resp_timeout',
    inter_digit_timeout: 'digit_timeout',
    max_retries: 'prompt_repeat',
    enable_direct_dial: 'dial_ext_option',
    direct_dial_policy: 'dial_ext_option',
    direct_dial_list: policy === 'deny_list' ? 'restrict_dial_ext_list' : 'dial_ext_list',
    'timeout_destination.value': TIMEOUT_SLOT.fields.value,
    'invalid_destination.value': INVALID_SLOT.fields.value,
  };
  return renames[field] ?? field;
}
