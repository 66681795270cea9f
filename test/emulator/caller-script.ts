/** What the emulated caller (and the far end of a bridge) does. Times are in ms. */
import type { UnicastAudio } from './unicast.ts';

/** `atMs`: after the connect reply. `onApp`: when the nth (1-based) CHANNEL_EXECUTE of that app is sent. */
export type Trigger = { readonly atMs: number } | { readonly onApp: string; readonly nth?: number; readonly afterMs?: number };

export type MalformedVariant =
  /** A valid event whose values hold `%zz` and a cut `%E0%A4%A`: must be survived, not fatal. */
  | 'bad-escape'
  /** An event frame whose body stops short, then FIN: the connection must end cleanly. */
  | 'truncated-body'
  /** `Content-Length: abc`: a protocol error, fatal for this connection only. */
  | 'bad-content-length'
  /** A header line without a colon: a protocol error. */
  | 'garbage-header';

export type CallerAction =
  | { readonly kind: 'dtmf'; readonly digits: string; readonly gapMs?: number }
  | { readonly kind: 'hangup'; readonly cause?: string }
  /** Abrupt close (TCP RST): ECONNRESET on the server side. */
  | { readonly kind: 'drop' }
  | { readonly kind: 'malformed'; readonly variant: MalformedVariant };

export interface CallerStep {
  readonly when: Trigger;
  readonly do: CallerAction;
}

export type BridgeOutcome = 'answer' | 'busy' | 'no-answer' | 'not-listening';

export interface CallerScript {
  /** What the caller's unicast audio carries (default 'tone'). */
  readonly unicastAudio?: UnicastAudio;
  readonly steps?: readonly CallerStep[];
  /** What a bridge's far end does (default 'answer'). */
  readonly bridge?: BridgeOutcome | ((dialString: string) => BridgeOutcome);
  /** How long an answered bridge lasts before the far end hangs up (default 50 ms, not scaled). */
  readonly bridgeTalkMs?: number;
  /** Ringing before answer / no-answer (default 20 ms, not scaled). */
  readonly bridgeRingMs?: number;
  /** Apps the new extension runs after `transfer` (default: `hangup NORMAL_CLEARING`). */
  readonly transferDialplan?: (destination: string) => ReadonlyArray<readonly [app: string, arg?: string]>;
  /** `callcenter` gives up (CC-Cancel-Reason TIMEOUT) after this; default: waits for the hangup. */
  readonly callcenterTimeoutMs?: number;
  /** An agent answers the queue after `answerAfterMs` and hangs up after `talkMs` (not scaled). */
  readonly callcenterAgent?: { readonly extension: string; readonly answerAfterMs: number; readonly talkMs: number };
  /** How long `voicemail` runs if the caller does not hang up (default 50 ms). */
  readonly voicemailMs?: number;
  /** How long the caller talks once `record` starts, then stays silent (default 2000 ms of caller time, scaled like prompts). */
  readonly recordTalkMs?: number;
  /** Never answer `connect` (to test the server's connect timeout). */
  readonly ignoreConnect?: boolean;
}
