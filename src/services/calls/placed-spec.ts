/**
 * What a placed call plays once the customer answers, for the calls our own controller runs (the call
 * comes back to it through the `socket` app): a published flow (an IVR's menu), a rendered text
 * template (optionally followed by a flow), or an AI agent. Stored on the outbound_calls row, so a
 * scheduled call, a restart or another controller instance finds it; the channel carries only
 * `sb_call_id`, and the row is found by that id *and* the channel's uuid (a caller cannot name
 * somebody else's call).
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import type { BotTarget } from '../../domain/agents.ts';

export type PlacedSpec =
  | { readonly kind: 'flow'; readonly ivrId: string }
  | {
      readonly kind: 'tts';
      readonly templateId: string;
      /** Named values, or positional ones (`{{1}}`, `{{2}}`…). */
      readonly variables: Readonly<Record<string, string>> | readonly string[];
      /** Set when the call is dialled (rendered on use): the wav the switch plays. */
      readonly audio?: string | null;
      /** The flow whose menu follows the message ("press 1 to confirm"), or null: hang up after it. */
      readonly ivrId: string | null;
    }
  | {
      readonly kind: 'bot';
      /** A published agent (`agentId`) or an ad-hoc one (`target`, built from the request). */
      readonly agentId: string | null;
      readonly target: BotTarget | null;
      /** Where the bot's transfer without a target (and its failure) sends the customer: an extension. */
      readonly agentExtension: string | null;
      /** Extra custom parameters for the bot's `start`. */
      readonly parameters: Readonly<Record<string, string>>;
    };

export type PlacedKind = PlacedSpec['kind'];
export const PLACED_KINDS: readonly PlacedKind[] = ['flow', 'tts', 'bot'];

export function isPlacedKind(kind: string): kind is PlacedKind {
  return (PLACED_KINDS as readonly string[]).includes(kind);
}

/** A placed call as the controller runs it once answered. */
export interface PlacedRun {
  readonly callId: string;
  readonly orgId: string;
  readonly did: string;
  /** The customer's number (E.164). */
  readonly customer: string;
  readonly spec: PlacedSpec;
}

/** Finds the placed call a channel belongs to (by id and leg uuid), or null; the runner awaits the answer. */
export type PlacedCallSource = (callId: string, channelUuid: string) => PlacedRun | null | Promise<PlacedRun | null>;

export function placedCallSource(db: Db): PlacedCallSource {
  const { outboundCalls } = db.t;
  return async (callId, channelUuid) => {
    const [row] = await db.select().from(outboundCalls).where(and(eq(outboundCalls.id, callId), eq(outboundCalls.aLegUuid, channelUuid))).limit(1);
    if (!row || !isPlacedKind(row.kind) || !row.spec) return null;
    return { callId: row.id, orgId: row.orgId, did: row.did, customer: row.firstNumber ?? '', spec: row.spec as PlacedSpec };
  };
}
