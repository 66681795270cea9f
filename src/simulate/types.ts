/**
 * The call simulator's words: what is asked (a DID or an IVR, the published or the draft configuration, the
 * caller's keys) and what comes back (what the caller hears and does, the call log's path, where the call ends).
 */
import type { CallOutcome, CallStage } from '../call/outcome.ts';
import type { PathStep } from '../call/session.ts';
import type { Problem } from '../publish/compile.ts';

export const SIMULATION_SOURCES = ['published', 'draft'] as const;
export type SimulationSource = (typeof SIMULATION_SOURCES)[number];

export interface SimulationRequest {
  /** The number dialled (any format a call's DID may have); this or ivrId. */
  did?: string | undefined;
  /** Start at this IVR instead of a DID. */
  ivrId?: string | undefined;
  /** Default 'published'. */
  source?: SimulationSource | undefined;
  /** What the caller does at each digit collection, in order: keys ("9", "1001#", "*") or "timeout". */
  keys?: readonly string[] | undefined;
  /** The caller's number (default "simulator"). */
  caller?: string | undefined;
  /** The call's instant (business hours), ISO 8601 with Z or an offset; default now. */
  at?: string | undefined;
}

/** One thing that happened, in order. `ivrId`: the menu the call was in. */
export type SimulationEvent =
  /** The call entered a menu. */
  | { type: 'menu'; ivrId: string; name: string }
  /**
   * Something played. `name` says its role (greeting, timeout, invalid, goodbye, unavailable, apology, confirm,
   * beep, voicemail_greeting, play_prompt, not_in_service, file); `text` when it was rendered from TTS text.
   */
  | { type: 'prompt'; ivrId?: string; name: string; file: string; text?: string }
  /**
   * The caller pressed `keys`; the menu took `digits` (up to its length, a terminator ends them). Accepted: an
   * option (`action`, `destination`) or a direct dial took them.
   */
  | { type: 'input'; ivrId?: string; keys: string; digits: string; accepted: boolean; action?: string; destination?: string | null }
  /** No input (count of max); `exhausted`: the menu's timeout rule fires next. */
  | { type: 'timeout'; ivrId: string; count: number; max: number; exhausted: boolean }
  /** Keys no option or direct dial takes (count of max); `exhausted`: the menu's invalid rule fires next. */
  | { type: 'invalid'; ivrId: string; digits: string; count: number; max: number; exhausted: boolean }
  /** An action ran (as the call log's path records it), or the menu loop limit ended the call. */
  | { type: 'action'; ivrId?: string; action: string; destination: string | null; result?: string }
  | ({ type: 'end' } & SimulationEnd);

/** Where the call ends. */
export interface SimulationEnd {
  /**
   * extension, external, intercom, queue, voicemail, ai_agent (handed over: the far end is taken to answer),
   * callback, hangup (the flow hung up; `cause`), or caller_hangup (the keys ran out where the call waited for one).
   */
  kind: string;
  /** Extension or queue number, E.164, agent id or ws URL; null for callback and hang-ups. */
  destination: string | null;
  /** The call log's outcome word (src/call/outcome.ts). */
  outcome: CallOutcome;
  /** The call log's left_at. */
  leftAt: CallStage;
  /** The hangup cause, when the flow hung up. */
  cause?: string;
}

export interface SimulationResult {
  source: SimulationSource;
  /** The DID in E.164, or null when the walk started at an IVR. */
  did: string | null;
  /** The first IVR the call entered (null: the DID routes elsewhere). */
  ivrId: string | null;
  /** The published version walked; null for the draft. */
  version: number | null;
  events: SimulationEvent[];
  /** The same steps the call log's path (ivr_path) would hold. */
  ivrPath: PathStep[];
  end: SimulationEnd;
  /** Keys left over when the call ended. */
  unusedKeys: string[];
  /** The draft's publish problems (it was walked anyway); [] for the published configuration. */
  problems: Problem[];
}
