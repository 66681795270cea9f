import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { aiAgents, extensions, ivrs, queues } from '../../db/schema/index.ts';

/**
 * Where a call can go. Menu options use all of these; DIDs use the routing subset;
 * timeout/invalid/fallback destinations use the terminal subset.
 */
export const ACTION_TYPES = [
  'extension', 'queue', 'ivr', 'voicemail', 'hangup', 'callback', 'ai_agent', 'external', 'play_prompt', 'repeat',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const DID_ROUTING_TYPES = ['extension', 'queue', 'ivr', 'ai_agent', 'external', 'intercom'] as const;
export type DidRoutingType = (typeof DID_ROUTING_TYPES)[number];

export const FINAL_DESTINATION_TYPES = ['extension', 'queue', 'ivr', 'voicemail', 'hangup', 'callback', 'ai_agent', 'external'] as const;
export type FinalDestinationType = (typeof FINAL_DESTINATION_TYPES)[number];

export type DestinationType = ActionType | DidRoutingType;

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

/** A problem with one destination; `message` is written for the admin who sent it. */
export type DestinationProblem = { message: string };

/**
 * Checks one destination against the organization's draft configuration.
 * Returns null when valid, else a message that says what to send instead.
 * `selfIvrId` lets an IVR option point back to its own IVR (loop protection is the walker's job).
 */
export function checkDestination(
  db: Db,
  orgId: string,
  type: string,
  value: string | null | undefined,
): DestinationProblem | null {
  const v = value === undefined || value === null ? null : String(value).trim();
  if (NULL_DESTINATION_TYPES.has(type)) {
    return v === null || v === '' ? null : { message: `${type} takes no destination (send null)` };
  }
  if (v === null || v === '') return { message: `destination is required for ${type}` };

  switch (type) {
    case 'extension':
    case 'intercom':
    case 'voicemail': {
      if (!isExtensionNumber(v)) return { message: `${type} destination must be a 4-digit extension number, e.g. "1001"` };
      const row = db.select({ id: extensions.id, vm: extensions.voicemailEnabled }).from(extensions)
        .where(and(eq(extensions.orgId, orgId), eq(extensions.number, v))).get();
      if (!row) return { message: `extension ${v} does not exist in this organization` };
      if (type === 'voicemail' && !row.vm) return { message: `extension ${v} has voicemail disabled` };
      return null;
    }
    case 'queue': {
      if (!isExtensionNumber(v)) return { message: 'queue destination must be a 4-digit queue number, e.g. "5001"' };
      const row = db.select({ id: queues.id }).from(queues).where(and(eq(queues.orgId, orgId), eq(queues.number, v))).get();
      return row ? null : { message: `queue ${v} does not exist in this organization` };
    }
    case 'ivr': {
      if (!isUuid(v)) {
        const hint = isExtensionNumber(v) ? ` ("${v}" looks like an extension number)` : '';
        return { message: `ivr destination must be the IVR's UUID, not its extension${hint}` };
      }
      const row = db.select({ id: ivrs.id }).from(ivrs).where(and(eq(ivrs.orgId, orgId), eq(ivrs.id, v))).get();
      return row ? null : { message: `IVR ${v} does not exist in this organization` };
    }
    case 'ai_agent': {
      if (isWsUrl(v)) return null;
      if (!isUuid(v)) return { message: 'ai_agent destination must be a ws:// or wss:// URL or an AI agent UUID' };
      const row = db.select({ id: aiAgents.id }).from(aiAgents).where(and(eq(aiAgents.orgId, orgId), eq(aiAgents.id, v))).get();
      return row ? null : { message: `AI agent ${v} does not exist in this organization` };
    }
    case 'external':
      return isE164(v) ? null : { message: 'external destination must be an E.164 number, e.g. "+919944421125"' };
    case 'play_prompt':
      return v.length <= 2000 ? null : { message: 'play_prompt destination (text or sound file) is too long' };
    default:
      return { message: `unknown type ${type}` };
  }
}
