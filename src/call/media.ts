import { ChannelGoneError, type ExecResult } from './channel.ts';
import { emit, stamp, type CallMetrics, type CallSession } from './session.ts';

/** Run an app; throws ChannelGoneError when the caller hung up before it completed. */
export async function run(s: CallSession, app: string, arg?: string, timeoutMs?: number, vars?: readonly string[]): Promise<ExecResult> {
  if (s.channel.signal.aborted) throw new ChannelGoneError('channel hung up');
  const res = await s.channel.execute(app, arg, timeoutMs === undefined && vars === undefined ? undefined : { timeoutMs, vars });
  if (!res.completed) throw new ChannelGoneError(`channel hung up during ${app}`);
  return res;
}

/**
 * Answer the call. `api` (default): `uuid_answer` in the socket's thread, no wait for the park loop's
 * tick. `app`: the `answer` app in the channel's own thread — for unicast (the AI bridge): on the real
 * 1.10.12, `unicast` right after an `api uuid_answer`, before any media app ran in the channel's thread,
 * crashed FreeSWITCH (captured by the switch-backed suite); after the `answer` app it is safe.
 */
export async function answer(s: CallSession, how: 'api' | 'app' = 'api'): Promise<void> {
  if (s.record.answeredAt) return;
  if (how === 'api' && s.channel.answer) {
    if (s.channel.signal.aborted || !(await s.channel.answer())) throw new ChannelGoneError('channel hung up before answer');
  } else {
    await run(s, 'answer', undefined, 10_000);
  }
  s.record.answeredAt = stamp(s);
  emit(s, { type: 'call.answered' });
}

/**
 * Answer and, in the same write, start what comes next (the first prompt): `api uuid_answer` runs at
 * once in the socket's thread, and the prompt's sendmsg is queued behind it, so the caller hears exactly
 * what the sequential form gives, one round trip sooner. A failed answer (the caller hung up) wins; the
 * queued app's outcome is then ignored.
 */
export async function answerThen<T>(s: CallSession, next: () => Promise<T>): Promise<T> {
  if (s.record.answeredAt) return next();
  const answering = answer(s);
  const after = next();
  after.catch(() => undefined);
  await answering;
  return after;
}

/** Play a file or tone stream to the end (bounded). */
export async function play(s: CallSession, file: string, timeoutMs = 120_000): Promise<void> {
  await run(s, 'playback', file, timeoutMs);
}

/**
 * Play a last prompt, then hang up. On the call's sync socket (`channel.ordered`) the hangup leaves in the
 * same write as the prompt and FreeSWITCH runs it once the prompt ends: one write and one round trip less
 * for the switch and for us. A caller who hangs up during the prompt: ChannelGoneError, as with play then
 * hangup (the hangup that follows is a no-op on a channel already down).
 */
export async function playThenHangup(s: CallSession, file: string, cause: string, timeoutMs?: number): Promise<void> {
  if (!s.channel.ordered) {
    await play(s, file, timeoutMs);
    await hangup(s, cause);
    return;
  }
  const played = play(s, file, timeoutMs);
  const hung = hangup(s, cause);
  hung.catch(() => undefined);
  await played;
  await hung;
}

export type Collected = { kind: 'digits'; digits: string } | { kind: 'timeout' };

export interface CollectOptions {
  file: string;
  maxDigits: number;
  /** first-digit timeout, ms */
  timeoutMs: number;
  /** inter-digit timeout, ms */
  digitTimeoutMs: number;
  /** e.g. '#', or 'none' */
  terminators: string;
}

const DIGITS_VAR = 'sb_digits';

/**
 * One round of "play the prompt, take digits": play_and_get_digits with a single try, so the
 * walker keeps its own timeout and invalid counters. A key pressed during the prompt stops it
 * at once (barge-in). Every digit pattern is accepted here; validity is the walker's decision.
 */
export async function collect(s: CallSession, o: CollectOptions): Promise<Collected> {
  const arg = [1, o.maxDigits, 1, o.timeoutMs, o.terminators, o.file, 'silence_stream://10', DIGITS_VAR, '[0-9*#]+', o.digitTimeoutMs].join(' ');
  const res = await run(s, 'play_and_get_digits', arg, o.timeoutMs + o.digitTimeoutMs * o.maxDigits + 300_000, [DIGITS_VAR]);
  const digits = res.variables[DIGITS_VAR] ?? '';
  if (digits === '') return { kind: 'timeout' };
  s.record.dtmf += digits;
  timeNextCommand(s, (m, seconds) => m.dtmfToCommand(seconds));
  emit(s, { type: 'call.dtmf', digits });
  return { kind: 'digits', digits };
}

/**
 * Times from now to the call's next command on the wire (a histogram of CallDeps.metrics); nothing when the
 * call has no metrics or its channel cannot say when it writes.
 */
export function timeNextCommand(s: CallSession, observe: (m: CallMetrics, seconds: number) => void, from = performance.now()): void {
  const m = s.deps.metrics;
  if (!m || !s.channel.onNextCommand) return;
  s.channel.onNextCommand(() => observe(m, (performance.now() - from) / 1000));
}

export async function hangup(s: CallSession, cause: string): Promise<void> {
  await s.channel.hangup(cause);
}

/** What a bridge's outcome is read from (an answered one ends with the hangup, which carries every variable). */
const BRIDGE_VARS = ['originate_disposition', 'last_bridge_hangup_cause', 'DIALSTATUS'] as const;

/** Bridge result, read once from the EXECUTE_COMPLETE (or, when the call ended with it, CHANNEL_HANGUP) variables. */
export interface BridgeOutcome {
  answered: boolean;
  /** 'SUCCESS' when answered, else originate_disposition or last_bridge_hangup_cause, e.g. USER_BUSY, NO_ANSWER */
  cause: string;
  /** The call ended with the bridge (hangup_after_bridge after a talk, or the caller hung up). */
  ended: boolean;
}

/**
 * Bridge to a dial string. With continue_on_fail the call comes back to us on failure. After an
 * answered bridge, hangup_after_bridge ends the caller's leg inside the bridge app, so FreeSWITCH
 * sends CHANNEL_HANGUP before the bridge's EXECUTE_COMPLETE: the outcome is then read from the
 * hangup's variables (captured: test/switch/fixtures). The caller hears ringback meanwhile
 * (stage `ringing`, then `talk` once answered).
 */
export async function bridge(s: CallSession, dialString: string): Promise<BridgeOutcome> {
  await ensureBridgeVars(s);
  if (s.channel.signal.aborted) throw new ChannelGoneError('channel hung up');
  s.stage = 'ringing';
  const res = await s.channel.execute('bridge', dialString, { timeoutMs: 6 * 3600_000, vars: BRIDGE_VARS });
  const v = res.variables;
  const disposition = v.originate_disposition ?? '';
  const answered = disposition === 'SUCCESS' || disposition === 'ANSWER';
  if (answered) {
    s.stage = 'talk';
    // A call bridged before we answered it (a DID straight to an extension) is answered by the bridge.
    const us = Number(res.headers['Caller-Channel-Answered-Time'] ?? 0);
    s.record.answeredAt ??= us > 0 ? new Date(Math.floor(us / 1000)).toISOString() : stamp(s);
  }
  return {
    answered,
    cause: answered ? 'SUCCESS' : disposition || v.last_bridge_hangup_cause || v.DIALSTATUS || 'NORMAL_TEMPORARY_FAILURE',
    ended: !res.completed,
  };
}

/**
 * What a bridged caller needs, set once per call before the first bridge or queue: when the other
 * party hangs up, hang the caller up too (else the dialplan would go on past the socket app), a failed
 * bridge comes back to us, and ringback while the other side rings.
 */
export async function ensureBridgeVars(s: CallSession): Promise<void> {
  if (s.bridgeVarsSet) return;
  // The dialplan sets nothing (each app there costs the switch two events): ringback comes from the
  // switch's own ringback_tone (vars.xml), expanded by FreeSWITCH.
  await run(s, 'multiset', 'continue_on_fail=true hangup_after_bridge=true ringback=${ringback_tone} transfer_ringback=${ringback_tone}', 10_000);
  s.bridgeVarsSet = true;
}
