import { NULL_DESTINATION_TYPES } from '../../../domain/destinations.ts';
import type { IssueList } from '../issues.ts';

/**
 * Yeastar P-series ids and destinations as our IVR model holds them.
 *
 * Ids: Yeastar names IVRs, extensions and queues by integer ids. Ours are the 4-digit numbers of one namespace per
 * organization, so a Yeastar id is that number read as an integer (IVR 7001 → 7001, extension 0073 → 73): every
 * object already has one, a client can tell it from the number, and no table of ids is kept. An id follows its
 * number: renumbering an IVR changes its id.
 */
export const idOfNumber = (number: string): number => Number.parseInt(number, 10);

/** The 4-digit number a Yeastar id names (73 → "0073"), or null when it cannot name one. */
export function numberOfId(id: string | number): string | null {
  const s = String(id).trim();
  if (!/^\d{1,4}$/.test(s)) return null;
  return s.padStart(4, '0');
}

/** One destination as Yeastar writes it: its type, a prefix (dial-out prefix or play count) and a value. */
export interface YeastarDest {
  dest: string;
  prefix: string;
  value: string;
}

export const NO_DEST: YeastarDest = { dest: '', prefix: '', value: '' };

/** Yeastar's destination types that name one of our objects by id, and our type for each. */
const BY_ID: Record<string, string> = { extension: 'extension', ext_vm: 'voicemail', ivr: 'ivr', queue: 'queue' };
/** Yeastar's words for our other types. */
const WORDS: Record<string, string> = { end_call: 'hangup', external_num: 'external', play_prompt: 'play_prompt' };
/** Yeastar's types our model has nothing for, and what it lacks. */
const UNSUPPORTED: Record<string, string> = {
  ring_group: 'ring groups (a queue rings its agents)',
  group_vm: 'group voicemail',
  conference: 'conference rooms',
  dial_by_name: 'dial by name',
  play_greeting: '"play prompt and exit" (play_prompt plays and returns to the menu)',
};
/** Ours, Yeastar's word for each (the types Yeastar has no word for keep our name). */
const YEASTAR_TYPE: Record<string, string> = Object.fromEntries([...Object.entries(BY_ID), ...Object.entries(WORDS)].map(([y, ours]) => [ours, y]));

/** What converting needs to know of the organization: IVR ids ⇄ numbers, prompt files ⇄ names. */
export interface DestContext {
  /** The IVR's number for its UUID (null: none). */
  ivrNumber(uuid: string): string | null;
  /** The IVR's UUID for its number (null: none). */
  ivrUuid(number: string): string | null;
  /** A prompt's bare file name for the path we store (null: not a file of the sounds folder). */
  promptName(path: string): string | null;
  /** The path to store for a prompt's file name (null: no such file in the sounds folder). */
  promptPath(name: string): string | null;
}

/** Our destination in Yeastar's words; no destination is Yeastar's "" (and our own type names where Yeastar has none). */
export function toYeastarDest(d: { type: string; value: string | null } | null, ctx: DestContext): YeastarDest {
  if (!d) return NO_DEST;
  const dest = YEASTAR_TYPE[d.type] ?? d.type;
  const value = d.value ?? '';
  if (d.type === 'ivr') {
    const number = ctx.ivrNumber(value);
    return { dest, prefix: '', value: number === null ? value : String(idOfNumber(number)) };
  }
  if (dest in BY_ID) return { dest, prefix: '', value: /^\d{4}$/.test(value) ? String(idOfNumber(value)) : value };
  if (d.type === 'play_prompt') return { dest, prefix: '1', value: ctx.promptName(value) ?? value };
  return { dest, prefix: '', value };
}

/** Field names of one destination: `press1_dest` and its `_prefix` and `_value`. */
export interface DestFields {
  dest: string;
  prefix: string;
  value: string;
}

/**
 * A Yeastar destination as ours: `undefined` when it cannot be (an issue names the field), null for none.
 * `allowed` are our types this place takes (a key: every action type; timeout and invalid: final types only).
 * Whether the named object exists is for our services to say, except IVRs, whose id must be looked up here.
 */
export function fromYeastarDest(y: YeastarDest, f: DestFields, allowed: readonly string[], ctx: DestContext, issues: IssueList): { type: string; value: string | null } | null | undefined {
  if (y.dest === '') {
    if (y.value !== '' || y.prefix !== '') issues.add(f.dest, `is empty (no destination) but ${f.value}/${f.prefix} are not: send ${f.dest} with them`);
    return y.value !== '' || y.prefix !== '' ? undefined : null;
  }
  if (Object.hasOwn(UNSUPPORTED, y.dest)) {
    issues.add(f.dest, `destination type "${y.dest}" is not supported: this platform has no ${UNSUPPORTED[y.dest]}`);
    return undefined;
  }
  const type = BY_ID[y.dest] ?? WORDS[y.dest] ?? (YEASTAR_TYPE[y.dest] === undefined ? y.dest : undefined);
  if (type === undefined || !allowed.includes(type)) {
    const words = allowed.map((t) => YEASTAR_TYPE[t] ?? t).join(', ');
    issues.add(f.dest, type === undefined
      ? `write Yeastar's "${YEASTAR_TYPE[y.dest]}" for ${y.dest}`
      : `destination type "${y.dest}" is not supported here (supported: ${words})`);
    return undefined;
  }
  if (y.prefix !== '' && !(type === 'play_prompt' && y.prefix === '1')) {
    issues.add(f.prefix, type === 'play_prompt'
      ? `a prompt plays once here, then the menu returns: send "1" or ""`
      : type === 'external'
        ? 'dial-out prefixes are not supported: send "" and the number in E.164 (e.g. "+919944421125")'
        : `${y.dest} takes no prefix: send ""`);
    return undefined;
  }
  if (NULL_DESTINATION_TYPES.has(type)) {
    if (y.value !== '') issues.add(f.value, `${y.dest} takes no value: send ""`);
    return y.value === '' ? { type, value: null } : undefined;
  }
  if (y.dest in BY_ID) {
    const number = numberOfId(y.value);
    if (number === null) {
      issues.add(f.value, `"${y.value}" is not an id of ${y.dest === 'ivr' ? 'an IVR' : y.dest === 'queue' ? 'a queue' : 'an extension'} (an integer: the 4-digit number, e.g. 1001)`);
      return undefined;
    }
    if (type !== 'ivr') return { type, value: number };
    const uuid = ctx.ivrUuid(number);
    if (uuid === null) issues.add(f.value, `IVR ${y.value} does not exist in this organization`);
    return uuid === null ? undefined : { type, value: uuid };
  }
  if (type === 'play_prompt') {
    const path = ctx.promptPath(y.value);
    if (path === null) issues.add(f.value, `no prompt file "${y.value}" in the sounds folder (a .wav file name, e.g. "IVR.wav")`);
    return path === null ? undefined : { type, value: path };
  }
  return { type, value: y.value };
}
