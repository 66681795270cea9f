import type { Tables } from '../../db/handle.ts';
import type { DirectDialPolicy } from '../../domain/destinations.ts';

export type IvrRow = Tables['ivrs']['$inferSelect'];
export type MenuOptionRow = Tables['ivrMenuOptions']['$inferSelect'];

/**
 * The IVR as the API returns it, written once: each response field → the ivrs column it shows (snake_case,
 * except the seed's camelCase timestamps). toIvrDto builds one IVR from a row with it, and the GET /ivrs
 * query (list-query.ts) builds the database's JSON objects from it, so the two cannot drift.
 */
export const IVR_FIELDS = {
  id: 'id',
  org_id: 'orgId',
  name: 'name',
  extension: 'extension',
  description: 'description',
  greeting_prompt: 'greetingPrompt',
  greeting_text: 'greetingText',
  greeting_language: 'greetingLanguage',
  greeting_voice: 'greetingVoice',
  timeout: 'timeout',
  inter_digit_timeout: 'interDigitTimeout',
  max_retries: 'maxRetries',
  /** null = max_retries */
  timeout_retries: 'timeoutRetries',
  /** null = max_retries */
  invalid_retries: 'invalidRetries',
  enable_direct_dial: 'enableDirectDial',
  direct_dial_policy: 'directDialPolicy',
  direct_dial_list: 'directDialList',
  timeout_prompt: 'timeoutPrompt',
  invalid_prompt: 'invalidPrompt',
  timeout_destination: 'timeoutDestination',
  invalid_destination: 'invalidDestination',
  status: 'status',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
} as const satisfies Record<string, keyof IvrRow>;

/**
 * A menu option as the API returns it, the same way. `order` is no column (null here): the option's
 * position in its menu as last saved.
 */
export const MENU_OPTION_FIELDS = {
  id: 'id',
  ivr_id: 'ivrId',
  digit: 'digit',
  action_type: 'actionType',
  action_destination: 'destination',
  description: 'description',
  order: null,
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
} as const satisfies Record<string, keyof MenuOptionRow | null>;

/** The response object a field map describes: each field typed as its column (a position is a number). */
type Shown<Fields extends Record<string, PropertyKey | null>, Row> = {
  -readonly [K in keyof Fields]: Fields[K] extends keyof Row ? Row[Fields[K]] : number;
};

export type IvrDto = Omit<Shown<typeof IVR_FIELDS, IvrRow>, 'direct_dial_policy'> & { direct_dial_policy: DirectDialPolicy };
export type MenuOptionDto = Shown<typeof MENU_OPTION_FIELDS, MenuOptionRow>;

export type IvrWithMenuDto = IvrDto & { menuOptions: MenuOptionDto[] };

export function toIvrDto(r: IvrRow): IvrDto {
  return shown(IVR_FIELDS, r, 0) as IvrDto;
}

/** `order` is the option's position in the menu as last saved. */
export function toMenuOptionDto(r: MenuOptionRow, order: number): MenuOptionDto {
  return shown(MENU_OPTION_FIELDS, r, order) as MenuOptionDto;
}

function shown<Row extends object>(fields: Record<string, keyof Row | null>, row: Row, position: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(fields)) out[field] = column === null ? position : row[column];
  return out;
}
