import type { ivrMenuOptions, ivrs, StoredDestination } from '../../db/schema/index.ts';

export type IvrRow = typeof ivrs.$inferSelect;
export type MenuOptionRow = typeof ivrMenuOptions.$inferSelect;

export const DIRECT_DIAL_POLICIES = ['disabled', 'all', 'allow_list', 'deny_list'] as const;
export type DirectDialPolicy = (typeof DIRECT_DIAL_POLICIES)[number];

/** The IVR as the API returns it: snake_case, except the seed's camelCase timestamps. */
export interface IvrDto {
  id: string;
  org_id: string;
  name: string;
  extension: string;
  description: string | null;
  greeting_prompt: string | null;
  greeting_text: string | null;
  greeting_language: string;
  greeting_voice: string;
  timeout: number;
  inter_digit_timeout: number;
  max_retries: number;
  /** null = max_retries */
  timeout_retries: number | null;
  /** null = max_retries */
  invalid_retries: number | null;
  enable_direct_dial: boolean;
  direct_dial_policy: DirectDialPolicy;
  direct_dial_list: string[];
  timeout_prompt: string | null;
  invalid_prompt: string | null;
  timeout_destination: StoredDestination | null;
  invalid_destination: StoredDestination | null;
  status: string;
  createdAt: string;
  updatedAt: string;
}

export interface MenuOptionDto {
  id: string;
  ivr_id: string;
  digit: string;
  action_type: string;
  action_destination: string | null;
  description: string | null;
  order: number;
  createdAt: string;
  updatedAt: string;
}

export type IvrWithMenuDto = IvrDto & { menuOptions: MenuOptionDto[] };

export function toIvrDto(r: IvrRow): IvrDto {
  return {
    id: r.id,
    org_id: r.orgId,
    name: r.name,
    extension: r.extension,
    description: r.description,
    greeting_prompt: r.greetingPrompt,
    greeting_text: r.greetingText,
    greeting_language: r.greetingLanguage,
    greeting_voice: r.greetingVoice,
    timeout: r.timeout,
    inter_digit_timeout: r.interDigitTimeout,
    max_retries: r.maxRetries,
    timeout_retries: r.timeoutRetries,
    invalid_retries: r.invalidRetries,
    enable_direct_dial: r.enableDirectDial,
    direct_dial_policy: r.directDialPolicy as DirectDialPolicy,
    direct_dial_list: r.directDialList,
    timeout_prompt: r.timeoutPrompt,
    invalid_prompt: r.invalidPrompt,
    timeout_destination: r.timeoutDestination ?? null,
    invalid_destination: r.invalidDestination ?? null,
    status: r.status,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** `order` is the option's position in the menu as last saved. */
export function toMenuOptionDto(r: MenuOptionRow, order: number): MenuOptionDto {
  return {
    id: r.id,
    ivr_id: r.ivrId,
    digit: r.digit,
    action_type: r.actionType,
    action_destination: r.destination,
    description: r.description,
    order,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
