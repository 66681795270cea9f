/** What an emulated dialplan app may do to its channel. One file per family of apps implements these. */
import type { CallerScript } from './caller-script.ts';
import type { ChannelModel } from './channel-model.ts';
import type { DigitQueue } from './digits.ts';
import type { Pairs } from './fs-encode.ts';

export type PlayOutcome = 'done' | 'digit' | 'hangup';

export interface AppContext {
  readonly app: string;
  readonly arg: string;
  readonly model: ChannelModel;
  readonly digits: DigitQueue;
  /** Aborts when the channel hangs up. */
  readonly hangupSignal: AbortSignal;
  readonly script: CallerScript;
  /** Multiplies prompt durations and linger seconds. */
  readonly timeScale: number;
  emit(name: string, extra?: Pairs, options?: { withVariables?: boolean; subclass?: string }): void;
  hangup(cause: string): void;
  /** Plays `file`; stops early when a queued digit satisfies `interrupt` (others are discarded). */
  play(file: string, interrupt: (digit: string) => boolean): Promise<PlayOutcome>;
  /** Sleeps `ms` (not scaled); false if the channel hung up meanwhile. */
  sleep(ms: number): Promise<boolean>;
  /** Runs after CHANNEL_EXECUTE_COMPLETE (transfer's re-routing). */
  runDialplan(apps: ReadonlyArray<readonly [string, string?]>): Promise<void>;
  /** The channel leaves the socket app it is controlled by (transfer, a bridge made by mod_callcenter). */
  leaveSocket(): Promise<void>;
}

export interface AppOutcome {
  readonly response?: string;
  /** Extra headers of the app's CHANNEL_EXECUTE_COMPLETE (e.g. Other-Leg-* after mod_callcenter's bridge). */
  readonly completeHeaders?: Pairs;
  readonly afterComplete?: () => Promise<void>;
  /** Right after CHANNEL_EXECUTE_COMPLETE, also after a hangup (the socket app: its socket's park is over). */
  readonly completed?: () => void;
}

export type AppHandler = (ctx: AppContext) => Promise<AppOutcome>;

/** Prompt length: tone_stream `%(on,off,freq)` → on+off; silence_stream://N → N; else 100 ms. */
export function promptMs(file: string): number {
  const tone = /%\((\d+),(\d+),/.exec(file);
  if (tone) return Number(tone[1]) + Number(tone[2]);
  const silence = /^silence_stream:\/\/(\d+)/.exec(file);
  if (silence) return Number(silence[1]);
  return 100;
}
