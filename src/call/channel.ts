import type { CancelSignal } from '../esl/call-signal.ts';
import type { UnicastRequest } from '../bot/leg-types.ts';

/**
 * What the call layer needs from a live channel. Implemented over an outbound ESL session
 * (esl-channel.ts); small enough to fake in unit tests.
 */
export interface ExecResult {
  /** false when the channel hung up before the app completed (no EXECUTE_COMPLETE will come). */
  completed: boolean;
  /** `Application-Response` of CHANNEL_EXECUTE_COMPLETE. */
  response: string | undefined;
  /**
   * Channel variables as of completion (without the `variable_` prefix); when the channel hung up
   * first, as of the hangup (CHANNEL_HANGUP carries them all: e.g. a bridge that was answered and then
   * ended with hangup_after_bridge, whose EXECUTE_COMPLETE comes after the hangup).
   */
  variables: Readonly<Record<string, string>>;
  /** The event's own headers (e.g. `Caller-Channel-Answered-Time`, µs since the epoch, 0 = not answered). */
  headers: Readonly<Record<string, string>>;
}

export interface ExecOptions {
  timeoutMs?: number;
  afterHangupMs?: number;
  /**
   * The channel variables the caller reads from `variables`. On the call's sync socket only these are
   * read back (FreeSWITCH's `getvar`); an EXECUTE_COMPLETE (async socket) or the hangup carries them all.
   */
  vars?: readonly string[];
}

export interface ChannelEvent {
  name: string;
  subclass: string | undefined;
  headers: Readonly<Record<string, string>>;
}

export interface CallChannel {
  readonly uuid: string;
  /** The switch that has the channel (SWITCHES id), as the call server told it; null or absent when unknown. */
  readonly switchId?: string | null;
  readonly destinationNumber: string;
  readonly callerIdNumber: string;
  readonly callerIdName: string;
  readonly variables: Readonly<Record<string, string>>;
  /** Aborts when the caller hangs up or FreeSWITCH drops the socket. */
  readonly signal: CancelSignal;
  /** Hangup cause once known (CHANNEL_HANGUP), else null. */
  hangupCause(): string | null;
  /**
   * Resolves when the channel hangs up (or the socket closes), or after `timeoutMs`; sends nothing.
   * For a caller FreeSWITCH bridged by itself (mod_callcenter's agent): the talk is not ours to end.
   */
  waitForHangup(timeoutMs: number): Promise<void>;
  /**
   * Run a dialplan application and wait for it to complete, the channel to hang up, or the timeout.
   * `afterHangupMs` (async socket): when the channel hangs up first, wait that long for the app's own
   * EXECUTE_COMPLETE (the lingering socket still gets it, e.g. once `record` closed its file) and return
   * its variables. On a sync socket the result always comes after the app's end.
   */
  execute(app: string, arg?: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Subscribe to extra events (e.g. 'CUSTOM callcenter::info'); returns when FreeSWITCH acknowledged. */
  subscribe(events: string): Promise<void>;
  /** Listen to channel events; returns the function that removes the listener. */
  onEvent(listener: (event: ChannelEvent) => void): () => void;
  /**
   * Answer the call now: `api uuid_answer <uuid>` on the call's socket. FreeSWITCH runs an `api` in the
   * socket's own thread as it reads it, while an `answer` app sent with sendmsg waits for the parked
   * channel's next 20 ms tick (switch_ivr_park yields 20 ms between private events while there is no
   * media): INVITE→200 fell from 28 to 8 ms at p50 (npm run bench -- switch). Resolves false when the
   * channel is gone. Optional: fakes without it answer with the `answer` app.
   */
  answer?(): Promise<boolean>;
  /** Hang the channel up with a cause (no-op if already hung up). */
  hangup(cause: string): Promise<void>;
  /**
   * Commands started in the same tick run one after the other, each once the one before has ended (the
   * call's sync socket: FreeSWITCH reads the next only after the last one's reply). Then a last prompt
   * and the hangup can leave in one write (playThenHangup).
   */
  readonly ordered?: boolean;
  /** Start unicast media (the AI bridge). Optional: channels without media (unit-test fakes) omit it. */
  startUnicast?(u: UnicastRequest): Promise<void>;
  /**
   * Make sure events reach us while an app runs (DTMF for a bot, a queue's or a bridge's progress) and
   * that we can send commands meanwhile. The dialplan hands calls over on a sync socket (FreeSWITCH
   * runs each app in the channel's own thread: no listener thread polling every 20 ms for the whole
   * call, which cost it ~4 ms of CPU per IVR call); this runs the `socket` app towards this same
   * server with `async`, and the call goes on over that second socket. True when the call is on an
   * async socket now (at once if it already was). Optional: fakes are always async.
   */
  goAsync?(): Promise<boolean>;
  /**
   * Back to the first (sync) socket after goAsync: the async socket is ended, and with its park
   * whatever ran there (a bot's unicast). A later goAsync opens a fresh one: FreeSWITCH tears down a
   * second unicast started in the same socket session within ~20 ms, so each bot leg needs its own.
   * No-op when the call is not on an async socket it opened.
   */
  leaveAsync?(): Promise<void>;
  /** Release the socket: `exit`, waiting (bounded) for FreeSWITCH to close it. */
  release(): Promise<void>;
  /** `performance.now()` when FreeSWITCH's socket for this call was accepted (call setup time). Optional: fakes omit it. */
  readonly arrivedAt?: number;
  /**
   * Calls `listener` once, as the next command of this call is written to its socket (latency metrics:
   * setup, keys → next command). Optional: fakes omit it, and nothing is measured.
   */
  onNextCommand?(listener: () => void): void;
}

export class ChannelGoneError extends Error {
  override readonly name = 'ChannelGoneError';
}
