/**
 * A caller's saved contact as a call carries it, and the call variables built from it. The services look the
 * contact up (src/services/contacts), the call keeps it on its session and call log, the AI bridge hands it to
 * the bot: all three use these words, so they live here, without I/O.
 */

/** The caller's contact, looked up once when the call arrives. */
export interface CallContact {
  readonly id: string;
  readonly name: string;
  readonly variables: Readonly<Record<string, string>>;
}

/** A contact variable's key: it becomes part of a parameter name (`contact_<key>`), so it stays short and plain. */
export const CONTACT_VARIABLE_KEY = /^[a-z][a-z0-9_]{0,39}$/;
export const MAX_CONTACT_VARIABLES = 50;
export const MAX_CONTACT_VARIABLE_CHARS = 500;

/** The prefix of every call variable that comes from the contact. */
export const CONTACT_PREFIX = 'contact_';

/** Call variables every call has, whoever calls (the contact's ones are empty when the caller is unknown). */
export const BUILT_IN_CALL_VARIABLES = [
  { key: 'call_id', description: 'The call log id' },
  { key: 'caller_number', description: 'The caller\'s number, E.164' },
  { key: 'did', description: 'The number dialled, E.164' },
  { key: 'contact_id', description: 'The caller\'s saved contact id' },
  { key: 'contact_name', description: 'The caller\'s saved contact name' },
] as const;

/**
 * The contact as flat string parameters: contact_id, contact_name and contact_<key> for each variable. A variable
 * named `id` or `name` cannot replace the contact's own id or name: those are written last.
 */
export function contactParameters(contact: CallContact): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(contact.variables)) out[CONTACT_PREFIX + key] = value;
  out.contact_id = contact.id;
  out.contact_name = contact.name;
  return out;
}
