import type { DirectDialPolicy } from '../../../domain/destinations.ts';
import type { IvrWithMenuDto } from '../../ivrs/dto.ts';
import { idOfNumber, toYeastarDest, type DestContext, type DestFields } from './destinations.ts';

/** Yeastar's dial_ext_option for each of our direct-dial policies. */
export const DIAL_EXT_OPTION: Record<DirectDialPolicy, string> = { disabled: 'disable', all: 'all', allow_list: 'allow', deny_list: 'restrict' };

/** One destination place of a Yeastar IVR: a key (0-9, #, *) or the timeout / invalid-input fallback. */
export interface Slot {
  /** The menu digit, or 'timeout' / 'invalid'. */
  key: string;
  fields: DestFields;
  /** Its allow_out_record… field. */
  record: string;
}

const slot = (key: string, name: string, record: string): Slot => ({ key, fields: { dest: `${name}_dest`, prefix: `${name}_dest_prefix`, value: `${name}_dest_value` }, record });

/** The keys in Yeastar's order: press0…press9, then # and *. */
export const KEY_SLOTS: readonly Slot[] = [
  ...['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => slot(d, `press${d}`, `allow_out_record${d}`)),
  slot('#', 'press_hash', 'allow_out_record_hash'),
  slot('*', 'press_star', 'allow_out_record_star'),
];
export const TIMEOUT_SLOT = slot('timeout', 'timeout', 'allow_out_record_timeout');
export const INVALID_SLOT = slot('invalid', 'invalid', 'allow_out_record_invalid');

/** An entry of dial_ext_list / restrict_dial_ext_list. */
export interface ExtEntry {
  text: string;
  text2: string;
  value: string;
  type: string;
}

/** Yeastar's IVR_DetailInfo, in the order its documentation prints it. */
export type YeastarIvr = Record<string, string | number | ExtEntry[] | { text: string; value: string }[]>;

/**
 * Our IVR as Yeastar's IVR_DetailInfo. What Yeastar has and we do not (outbound routes, voicemail check,
 * alert-info, the prompt manager, out-of-IVR recording) shows as off. `prompt_repeat` is the IVR's timeout limit.
 */
export function toYeastarIvr(ivr: IvrWithMenuDto, ctx: DestContext, extensionName: (number: string) => string | null): YeastarIvr {
  const out: YeastarIvr = {
    id: idOfNumber(ivr.extension),
    number: ivr.extension,
    name: ivr.name,
    prompt: ivr.greeting_prompt === null ? 'default' : `${ivr.greeting_prompt}.wav`,
    prompt_repeat: ivr.timeout_retries ?? ivr.max_retries,
    resp_timeout: ivr.timeout,
    digit_timeout: ivr.inter_digit_timeout,
    dial_ext_option: DIAL_EXT_OPTION[ivr.direct_dial_policy],
    enb_dial_outb_routes: 0,
    enb_dial_check_vm: 0,
  };
  const byDigit = new Map(ivr.menuOptions.map((o) => [o.digit, { type: o.action_type, value: o.action_destination }]));
  const put = (s: Slot, d: { type: string; value: string | null } | null) => {
    const y = toYeastarDest(d, ctx);
    out[s.fields.dest] = y.dest;
    out[s.fields.prefix] = y.prefix;
    out[s.fields.value] = y.value;
    out[s.record] = 0;
  };
  for (const s of KEY_SLOTS) put(s, byDigit.get(s.key) ?? null);
  put(TIMEOUT_SLOT, ivr.timeout_destination);
  put(INVALID_SLOT, ivr.invalid_destination);
  const entries = (numbers: string[]): ExtEntry[] =>
    numbers.map((n) => ({ text: extensionName(n) ?? n, text2: n, value: String(idOfNumber(n)), type: 'extension' }));
  out.dial_ext_list = ivr.direct_dial_policy === 'allow_list' ? entries(ivr.direct_dial_list) : [];
  out.restrict_dial_ext_list = ivr.direct_dial_policy === 'deny_list' ? entries(ivr.direct_dial_list) : [];
  out.dial_outb_route_list = [];
  out.alert_info = '';
  out.prompt_manger_enb = 0;
  out.prompt_manger_password = '';
  return out;
}

/** Yeastar's IVR_List entry (ivr/list). */
export function toYeastarIvrListEntry(extension: string, name: string, policy: DirectDialPolicy) {
  return { id: idOfNumber(extension), number: extension, name, dial_ext_option: DIAL_EXT_OPTION[policy], enb_dial_outb_routes: 0 };
}
