/** playback, play_and_get_digits, read: prompts and digit collection with FreeSWITCH's semantics. */
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
