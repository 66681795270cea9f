/**
 * Where a call can go, and the one set of rules on a destination. Menu options use all the action types;
 * DIDs use the routing subset; timeout/invalid/fallback destinations use the terminal subset.
 *
 * The rules ask a `DestinationTargets` what the organization has: the services implement it over the
 * database (src/services/numbers/targets.ts, one query per check while an admin edits), publish's compile
 * over the rows it loaded once (a whole configuration in a handful of queries). Same rules, same words.
 */
export const ACTION_TYPES = [
  'extension', 'queue', 'ivr', 'voicemail', 'hangup', 'callback', 'ai_agent', 'external', 'play_prompt', 'repeat', 'time_condition',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const DID_ROUTING_TYPES = ['extension', 'queue', 'ivr', 'ai_agent', 'external', 'intercom', 'time_condition'] as const;
export type DidRoutingType = (typeof DID_ROUTING_TYPES)[number];

/** `time_condition` (a business-hours schedule, src/domain/business-hours.ts) goes on to one of these in turn. */
export const FINAL_DESTINATION_TYPES = ['extension', 'queue', 'ivr', 'voicemail', 'hangup', 'callback', 'ai_agent', 'external', 'time_condition'] as const;
export type FinalDestinationType = (typeof FINAL_DESTINATION_TYPES)[number];

export type DestinationType = ActionType | DidRoutingType;

/** Which extensions a caller may dial directly from an IVR menu. */
export const DIRECT_DIAL_POLICIES = ['disabled', 'all', 'allow_list', 'deny_list'] as const;
export type DirectDialPolicy = (typeof DIRECT_DIAL_POLICIES)[number];

/** Types whose destination must be null. */
export const NULL_DESTINATION_TYPES: ReadonlySet<string> = new Set(['hangup', 'callback', 'repeat']);

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EXT_RE = /^\d{4}$/;
const E164_RE = /^\+[1-9]\d{6,14}$/;
const WS_RE = /^wss?:\/\/[^\s/$.?#][^\s]*$/i;

export const isUuid = (v: string) => UUID_RE.test(v);
export const isExtensionNumber = (v: string) => EXT_RE.test(v);
export const isE164 = (v: string) => E164_RE.test(v);
export const isWsUrl = (v: string) => WS_RE.test(v);

/** What the organization has that a destination can name. */
export interface DestinationTargets {
  /** The extension with this 4-digit number, or null. */
  extension(number: string): { enabled: boolean; voicemailEnabled: boolean } | null;
  hasQueue(number: string): boolean;
  hasIvr(id: string): boolean;
  hasAgent(id: string): boolean;
  /** A business-hours schedule (time_condition) with this id. */
  hasSchedule(id: string): boolean;
}

export type DestinationIssueCode =
  | 'invalid_type'
  | 'invalid_destination'
  | 'missing_destination'
  | 'dangling_reference'
  | 'voicemail_disabled'
  | 'extension_disabled';

/** One finding; `message` is written for the admin who sent the destination and says what to send instead. */
export interface DestinationIssue {
  code: DestinationIssueCode;
  message: string;
}

export interface DestinationCheck {
  /** The destination cannot be used. */
  problem: DestinationIssue | null;
  /** Usable, but worth telling the admin (a disabled extension). */
  warning: DestinationIssue | null;
}

const OK: DestinationCheck = { problem: null, warning: null };
const bad = (code: DestinationIssueCode, message: string): DestinationCheck => ({ problem: { code, message }, warning: null });

/**
 * Checks one destination against what the organization has. `allowedTypes` (when given) is the subset of
 * types this place accepts (a DID, a fallback…). An IVR option may point back to its own IVR: loop
 * protection is the walker's job.
 */
export function checkDestination(
  targets: DestinationTargets,
  type: string,
  value: string | null | undefined,
  allowedTypes?: readonly string[],
): DestinationCheck {
  if (allowedTypes && !allowedTypes.includes(type)) {
    return bad('invalid_type', `type "${type}" is not allowed here (allowed: ${allowedTypes.join(', ')})`);
  }
  const v = value === undefined || value === null ? null : String(value).trim();
  if (NULL_DESTINATION_TYPES.has(type)) {
    return v === null || v === '' ? OK : bad('invalid_destination', `${type} takes no destination (send null)`);
  }
  if (v === null || v === '') return bad('missing_destination', `destination is required for ${type}`);

  switch (type) {
    case 'extension':
    case 'intercom':
    case 'voicemail': {
      if (!isExtensionNumber(v)) return bad('invalid_destination', `${type} destination must be a 4-digit extension number, e.g. "1001"`);
      const ext = targets.extension(v);
      if (!ext) return bad('dangling_reference', `extension ${v} does not exist in this organization`);
      if (type === 'voicemail' && !ext.voicemailEnabled) return bad('voicemail_disabled', `extension ${v} has voicemail disabled`);
      if (!ext.enabled) return { problem: null, warning: { code: 'extension_disabled', message: `extension ${v} is disabled` } };
      return OK;
    }
    case 'queue':
      if (!isExtensionNumber(v)) return bad('invalid_destination', 'queue destination must be a 4-digit queue number, e.g. "5001"');
      return targets.hasQueue(v) ? OK : bad('dangling_reference', `queue ${v} does not exist in this organization`);
    case 'ivr': {
      if (!isUuid(v)) {
        const hint = isExtensionNumber(v) ? ` ("${v}" looks like an extension number)` : '';
        return bad('invalid_destination', `ivr destination must be the IVR's UUID, not its extension${hint}`);
      }
      return targets.hasIvr(v) ? OK : bad('dangling_reference', `IVR ${v} does not exist in this organization`);
    }
    case 'ai_agent':
      if (isWsUrl(v)) return OK;
      if (!isUuid(v)) return bad('invalid_destination', 'ai_agent destination must be a ws:// or wss:// URL or an AI agent UUID');
      return targets.hasAgent(v) ? OK : bad('dangling_reference', `AI agent ${v} does not exist in this organization`);
    case 'time_condition':
      if (!isUuid(v)) return bad('invalid_destination', 'time_condition destination must be the business-hours schedule\'s UUID');
      return targets.hasSchedule(v) ? OK : bad('dangling_reference', `business-hours schedule ${v} does not exist in this organization`);
    case 'external':
      return isE164(v) ? OK : bad('invalid_destination', 'external destination must be an E.164 number, e.g. "+919944421125"');
    case 'play_prompt':
      return v.length <= 2000 ? OK : bad('invalid_destination', 'play_prompt destination (text or sound file) is too long');
    default:
      return bad('invalid_type', `unknown type ${type}`);
  }
}
