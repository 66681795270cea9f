/**
 * One vocabulary for how a call ended, used by call logs, webhooks and the API (docs/call-outcomes.md).
 * `outcome` says what happened to the caller; `left_at` says where the call was when it ended.
 */
export const CALL_OUTCOMES = [
  /** A person answered: an extension, a queue agent, an external number, the other masked party (`attended_by`). */
  'connected',
  /** The caller reached voicemail (the path's voicemail step names the message, if one was left). */
  'voicemail',
  /** An AI agent had the call until it ended (the bot or the caller hung up). */
  'bot_completed',
  /** The AI agent could not be reached or failed, and no fallback destination took the call. */
  'bot_failed',
  /** The caller asked to be called back. */
  'callback_requested',
  /** The caller hung up before reaching anyone (`left_at`: greeting, menu, ringing, queue, …). */
  'abandoned',
  /** Menu retries exhausted without a key / with wrong keys, and no timeout/invalid destination took the call. */
  'no_input',
  'invalid_input',
  /** The person rung did not answer / was busy, and nothing else took the call. */
  'no_answer',
  'busy',
  /** The queue's maximum wait passed with no agent, and nothing else took the call. */
  'queue_timeout',
  /** A placed message call (tts without a menu) played its message to the end. */
  'message_played',
  /** The menu's (or the bot's) hang-up ended the call on purpose. */
  'ended_by_ivr',
  /** Nobody owns the number dialled. */
  'unallocated',
  /** The call could not be completed (`hangup_cause` says why). */
  'failed',
  /** The controller died while the call was up (closed by the next reconciliation). */
  'controller_lost',
  /** No controller was reachable: FreeSWITCH answered with the special information tones. */
  'controller_unavailable',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Where a call was: its stage when it ended is `left_at`. */
export const CALL_STAGES = ['routing', 'greeting', 'menu', 'ringing', 'talk', 'queue', 'bot', 'voicemail', 'prompt'] as const;
export type CallStage = (typeof CALL_STAGES)[number];

/** The outcome of a destination that did not answer, from the bridge's cause. */
export function unansweredOutcome(cause: string): CallOutcome {
  if (cause === 'USER_BUSY') return 'busy';
  if (cause === 'NO_ANSWER' || cause === 'NO_USER_RESPONSE' || cause === 'ALLOTTED_TIMEOUT') return 'no_answer';
  return 'failed';
}
