import {
  NULL_DESTINATION_TYPES, isE164, isExtensionNumber, isUuid, isWsUrl,
} from '../services/numbers/destinations.ts';

/**
 * In-memory twin of checkDestination (src/services/numbers/destinations.ts): the same rules, checked
 * against rows loaded once, so validating a whole configuration costs a handful of queries.
 */
export interface OrgIndex {
  extensions: ReadonlyMap<string, { enabled: boolean; voicemailEnabled: boolean }>;
  queueNumbers: ReadonlySet<string>;
  ivrIds: ReadonlySet<string>;
  agentIds: ReadonlySet<string>;
}

export type RefIssue = { code: string; message: string };
export interface RefCheck {
  problem: RefIssue | null;
  /** A valid reference that still deserves attention (e.g. a disabled extension). */
  warning: RefIssue | null;
}

const ok: RefCheck = { problem: null, warning: null };
const bad = (code: string, message: string): RefCheck => ({ problem: { code, message }, warning: null });

export function checkReference(
  index: OrgIndex,
  allowedTypes: readonly string[],
  type: string,
  value: string | null | undefined,
): RefCheck {
  if (!allowedTypes.includes(type)) {
    return bad('invalid_type', `type "${type}" is not allowed here (allowed: ${allowedTypes.join(', ')})`);
  }
  const v = value === undefined || value === null ? null : String(value).trim();
  if (NULL_DESTINATION_TYPES.has(type)) {
    return v === null || v === '' ? ok : bad('invalid_destination', `${type} takes no destination`);
  }
  if (v === null || v === '') return bad('missing_destination', `destination is required for ${type}`);

  switch (type) {
    case 'extension':
    case 'intercom':
    case 'voicemail': {
      if (!isExtensionNumber(v)) return bad('invalid_destination', `${type} destination must be a 4-digit extension number`);
      const ext = index.extensions.get(v);
      if (!ext) return bad('dangling_reference', `extension ${v} does not exist`);
      if (type === 'voicemail' && !ext.voicemailEnabled) return bad('voicemail_disabled', `extension ${v} has voicemail disabled`);
      if (!ext.enabled) return { problem: null, warning: { code: 'extension_disabled', message: `extension ${v} is disabled` } };
      return ok;
    }
    case 'queue':
      if (!isExtensionNumber(v)) return bad('invalid_destination', 'queue destination must be a 4-digit queue number');
      return index.queueNumbers.has(v) ? ok : bad('dangling_reference', `queue ${v} does not exist`);
    case 'ivr':
      if (!isUuid(v)) return bad('invalid_destination', "ivr destination must be the IVR's UUID");
      return index.ivrIds.has(v) ? ok : bad('dangling_reference', `IVR ${v} does not exist`);
    case 'ai_agent':
      if (isWsUrl(v)) return ok;
      if (!isUuid(v)) return bad('invalid_destination', 'ai_agent destination must be a ws(s):// URL or an AI agent UUID');
      return index.agentIds.has(v) ? ok : bad('dangling_reference', `AI agent ${v} does not exist`);
    case 'external':
      return isE164(v) ? ok : bad('invalid_destination', `external destination ${v} is not an E.164 number`);
    case 'play_prompt':
      return v.length <= 2000 ? ok : bad('invalid_destination', 'play_prompt destination is too long');
    default:
      return bad('invalid_type', `unknown type ${type}`);
  }
}
