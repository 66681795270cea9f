/** playback, play_and_get_digits, read, record: prompts, digit collection and recording with FreeSWITCH's semantics. */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppContext, AppHandler, AppOutcome } from './app-context.ts';

export const playback: AppHandler = async (ctx) => {
  const configured = ctx.model.vars.get('playback_terminators') ?? '*';
  const terminators = configured === 'none' ? '' : configured;
  const outcome = await ctx.play(ctx.arg, (d) => terminators.includes(d));
  if (outcome === 'digit') {
    const digit = ctx.digits.shift() ?? '';
    ctx.model.setVar('playback_terminator_used', digit);
  }
  return { response: 'FILE PLAYED' };
};

interface Collect {
  readonly min: number;
  readonly max: number;
  readonly timeoutMs: number;
  readonly digitTimeoutMs: number;
  readonly terminators: string;
}

type Collected = { digits: string; terminator?: string; timedOut: boolean };

/** First digit within `timeoutMs` (counted after the prompt), then each next within `digitTimeoutMs`. */
async function collect(ctx: AppContext, c: Collect): Promise<Collected> {
  let digits = '';
  for (;;) {
    if (digits.length >= c.max) return { digits, timedOut: false };
    const got = await ctx.digits.wait(digits.length === 0 ? c.timeoutMs : c.digitTimeoutMs, ctx.hangupSignal);
    if (!got) return { digits, timedOut: !ctx.hangupSignal.aborted };
    const d = ctx.digits.shift()!;
    if (c.terminators.includes(d)) return { digits, terminator: d, timedOut: false };
    digits += d;
  }
}

/**
 * play_and_get_digits <min> <max> <tries> <timeout> <terminators> <file> <invalid_file> <var_name>
 *   <regexp> [<digit_timeout>] [<transfer_on_failure>]
 * Each try plays the prompt (any digit interrupts it and counts), collects, validates length and regexp.
 * Valid: `<var>` = digits, read_result=success. Invalid input sets `<var>_invalid` and plays
 * invalid_file before the next try. No valid input after all tries: read_result=failure.
 */
export const playAndGetDigits: AppHandler = async (ctx) => {
  const a = ctx.arg.split(' ');
  const [min, max, tries, timeout] = [a[0], a[1], a[2], a[3]].map((x) => Number(x ?? 0)) as [number, number, number, number];
  const terminators = a[4] === 'none' ? '' : (a[4] ?? '#');
  const file = a[5] ?? '';
  const invalidFile = a[6] ?? '';
  const varName = a[7] ?? 'pagd_input';
  const regexp = a[8];
  const digitTimeout = a[9] === undefined ? timeout : Number(a[9]);
  const done = (result: string): AppOutcome => {
    ctx.model.setVar('read_result', result);
    return { response: '_none_' };
  };
  // switch_ivr_read clears the variable first: a try without valid input leaves none (not the last call's digits).
  clearReadVars(ctx, varName);
  for (let t = 0; t < Math.max(1, tries); t++) {
    if (ctx.hangupSignal.aborted) return done('failure');
    const played = await ctx.play(file, () => true);
    if (played === 'hangup') return done('failure');
    const got = await collect(ctx, { min, max, timeoutMs: timeout, digitTimeoutMs: digitTimeout, terminators });
    if (ctx.hangupSignal.aborted) return done('failure');
    if (got.terminator !== undefined) ctx.model.setVar('read_terminator_used', got.terminator);
    const lengthOk = got.digits.length >= min && got.digits.length <= max;
    const matches = regexp === undefined || regexp === '' || new RegExp(regexp).test(got.digits);
    if (got.digits.length > 0 || min === 0) {
      if (lengthOk && matches) {
        ctx.model.setVar(varName, got.digits);
        return done('success');
      }
      if (got.digits.length > 0) ctx.model.setVar(`${varName}_invalid`, got.digits);
    }
    if (invalidFile && t < tries - 1) {
      const inv = await ctx.play(invalidFile, () => false);
      if (inv === 'hangup') return done('failure');
    }
  }
  return done('failure');
};

/** read <min> <max> <file> <var_name> <timeout> <terminators>: read_result success|timeout|failure. */
export const read: AppHandler = async (ctx) => {
  const a = ctx.arg.split(' ');
  const min = Number(a[0] ?? 0);
  const max = Number(a[1] ?? 1);
  const file = a[2] ?? '';
  const varName = a[3] ?? 'read_input';
  const timeout = Number(a[4] ?? 5000);
  const terminators = a[5] ?? '#';
  clearReadVars(ctx, varName);
  const played = await ctx.play(file, () => true);
  if (played === 'hangup') {
    ctx.model.setVar('read_result', 'failure');
    return { response: '_none_' };
  }
  const got = await collect(ctx, { min, max, timeoutMs: timeout, digitTimeoutMs: timeout, terminators });
  if (ctx.hangupSignal.aborted) ctx.model.setVar('read_result', 'failure');
  else if (got.digits.length < min) ctx.model.setVar('read_result', got.timedOut ? 'timeout' : 'failure');
  else {
    ctx.model.setVar(varName, got.digits);
    ctx.model.setVar('read_result', 'success');
  }
  if (got.terminator !== undefined) ctx.model.setVar('read_terminator_used', got.terminator);
  return { response: '_none_' };
};

/** What switch_ivr_read does before it reads (FreeSWITCH 1.10 src/switch_ivr_play_say.c): read_result and the variable are unset. */
function clearReadVars(ctx: AppContext, varName: string): void {
  ctx.model.unsetVar('read_result');
  ctx.model.unsetVar(varName);
}

const RECORD_RATE = 8000;
/** "Forever" for a record without limit or silence detection (it then ends with the hangup or a key). */
const RECORD_FOREVER_MS = 24 * 3600_000;

/**
 * record <path> [<limit s>] [<silence threshold>] [<silence hits s>] (mod_dptools record_function →
 * switch_ivr_record_file): pre-answers, opens the file (a missing directory: "Error Opening File", the
 * channel is hung up DESTINATION_OUT_OF_ORDER), then records until the caller hangs up, a
 * playback_terminators key (default `*`) is pressed, the limit passes, or — with a threshold — the
 * caller has been silent for <hits> seconds (3 when not given; silence_hits_exhausted=true). The file
 * is closed in every case, also after a hangup, and record_ms / record_seconds / record_samples say how
 * much audio it holds. The emulated caller talks for script.recordTalkMs (default 2000 ms of caller
 * time, a tone) and then sends silence (RTP like a phone, so it is written too; on the real switch a
 * caller that sends no RTP at all gets CNG frames, which count as silence but are not written, so
 * record_ms can be shorter than the time recorded). Waits are scaled by timeScale, the audio is not.
 * Seen on FreeSWITCH 1.10.12 (SIPp caller hanging up mid-record): CHANNEL_HANGUP, then RECORD_STOP and
 * the record's CHANNEL_EXECUTE_COMPLETE with record_ms, then the socket app's EXECUTE_COMPLETE.
 */
export const record: AppHandler = async (ctx) => {
  const [path = '', limit, threshold, hits] = ctx.arg.split(' ');
  const limitMs = Number(limit ?? 0) > 0 ? Number(limit) * 1000 : Infinity;
  const silenceMs = Number(threshold ?? 0) > 0 ? (Number(hits ?? 0) > 0 ? Number(hits) : 3) * 1000 : Infinity;
  const talkMs = ctx.script.recordTalkMs ?? 2000;
  if (!path || !existsSync(dirname(path))) {
    ctx.hangup('DESTINATION_OUT_OF_ORDER');
    return { response: '_none_' };
  }
  ctx.model.setVar('playback_terminator_used', '');
  ctx.model.setVar('silence_hits_exhausted', 'false');
  const configured = ctx.model.vars.get('playback_terminators') ?? '*';
  const terminators = configured === 'none' ? '' : configured === 'any' ? '1234567890*#' : configured;
  const endMs = Math.min(limitMs, talkMs + silenceMs, RECORD_FOREVER_MS);
  const started = Date.now();
  const outcome = await ctx.play(`silence_stream://${endMs}`, (d) => terminators.includes(d));
  if (outcome === 'digit') ctx.model.setVar('playback_terminator_used', ctx.digits.shift() ?? '');
  const recordedMs = outcome === 'done' ? endMs : Math.min(endMs, Math.round((Date.now() - started) / ctx.timeScale));
  if (outcome === 'done' && endMs === talkMs + silenceMs && endMs < limitMs) ctx.model.setVar('silence_hits_exhausted', 'true');
  const samples = Math.floor((recordedMs * RECORD_RATE) / 1000);
  writeFileSync(path, callerAudio(samples, Math.floor((talkMs * RECORD_RATE) / 1000)));
  ctx.model.setVar('record_seconds', String(Math.floor(samples / RECORD_RATE)));
  ctx.model.setVar('record_ms', String(Math.floor(samples / (RECORD_RATE / 1000))));
  ctx.model.setVar('record_samples', String(samples));
  return { response: '_none_' };
};

/** Mono 16-bit PCM wav: a 440 Hz tone for the talking samples, silence after. */
function callerAudio(samples: number, talking: number): Buffer {
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(RECORD_RATE, 24);
  wav.writeUInt32LE(RECORD_RATE * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < Math.min(samples, talking); i++) wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / RECORD_RATE)), 44 + i * 2);
  return wav;
}
