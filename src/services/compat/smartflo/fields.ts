import { ACTION_TYPES, FINAL_DESTINATION_TYPES, NULL_DESTINATION_TYPES, type ActionType, type FinalDestinationType } from '../../../domain/destinations.ts';
import type { IssueList } from '../issues.ts';

/**
 * Tata Smartflo's values as our IVR model holds them. Smartflo names a destination `<type>|<id>`
 * ("extension|1001") and a recording `recording|<id>` ("recording|28935"); both spellings are read and
 * written here, and nowhere else.
 */

/** A Smartflo destination: our destination types, written `<type>|<value>` (`hangup`, `callback`, `repeat` take none). */
export interface ParsedDestination<T extends string> {
  type: T;
  value: string | null;
}

const SEPARATOR = '|';

/**
 * Reads `extension|1001`. Types are ours (extension, queue, ivr, voicemail, hangup, external, …); any other
 * type (a Smartflo department, an auto attendant…) is an issue naming the field. Whether the value exists
 * is for our services to say.
 */
export function parseDestination<T extends string>(raw: string, field: string, allowed: readonly T[], issues: IssueList): ParsedDestination<T> | null {
  const at = raw.indexOf(SEPARATOR);
  const type = (at < 0 ? raw : raw.slice(0, at)).trim();
  const value = at < 0 ? '' : raw.slice(at + 1).trim();
  if (!(allowed as readonly string[]).includes(type)) {
    issues.add(field, `unsupported destination type "${type}" in "${raw}" (supported: ${allowed.join(', ')}; written <type>|<value>, e.g. "extension|1001")`);
    return null;
  }
  if (NULL_DESTINATION_TYPES.has(type)) {
    if (value !== '') issues.add(field, `${type} takes no value: send "${type}"`);
    return { type: type as T, value: null };
  }
  if (value === '') {
    issues.add(field, `"${raw}" has no value: write ${type}|<value>`);
    return null;
  }
  return { type: type as T, value };
}

export const parseOptionDestination = (raw: string, field: string, issues: IssueList) => parseDestination<ActionType>(raw, field, ACTION_TYPES, issues);
export const parseFinalDestination = (raw: string, field: string, issues: IssueList) => parseDestination<FinalDestinationType>(raw, field, FINAL_DESTINATION_TYPES, issues);

/** Our destination in Smartflo's spelling; no destination is a hang-up (what our IVR does then, after its goodbye). */
export function formatDestination(d: { type: string; value: string | null } | null): string {
  if (!d) return 'hangup';
  return d.value === null ? d.type : `${d.type}${SEPARATOR}${d.value}`;
}

const RECORDING_RE = /^recording\|([\w-]{1,64})$/;
const RECORDING_FILE_RE = /^recording_([\w-]{1,64})(\.wav)?$/;

/** `recording|28935` is the sound file recording_28935.wav of the sounds folder; null when `raw` is not a recording id. */
export function recordingFile(raw: string): string | null {
  const m = RECORDING_RE.exec(raw.trim());
  return m ? `recording_${m[1]}.wav` : null;
}

/** A prompt of ours (a greeting's prompt name or a prompt's file name) in Smartflo's spelling; "" for none. */
export function formatRecording(prompt: string | null): string {
  if (prompt === null) return '';
  const m = RECORDING_FILE_RE.exec(prompt);
  return m ? `recording|${m[1]}` : prompt;
}
