/** answer, set, export, hangup, sleep, bridge, transfer, callcenter, voicemail, record_session. */
import { randomUUID } from 'node:crypto';
import type { AppContext, AppHandler } from './app-context.ts';
import type { BridgeOutcome } from './caller-script.ts';

const NONE = { response: '_none_' } as const;

export const answer: AppHandler = async (ctx) => {
  if (ctx.model.answerState === 'ringing') {
    ctx.model.answerState = 'answered';
    ctx.model.answeredUs = Date.now() * 1000;
    ctx.emit('CHANNEL_ANSWER');
    ctx.model.callState = 'ACTIVE';
    ctx.model.setVar('endpoint_disposition', 'ANSWER');
  }
  return NONE;
};

function splitAssignment(arg: string): [string, string] {
  const eq = arg.indexOf('=');
  return eq === -1 ? [arg, ''] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

export const set: AppHandler = async (ctx) => {
  const [name, value] = splitAssignment(ctx.arg);
  if (value === '') ctx.model.vars.delete(name);
  else ctx.model.setVar(name, value);
  return NONE;
};

/** `multiset a=1 b=2`: several `set`s (FreeSWITCH splits on spaces unless a `^^<d>` delimiter is given). */
export const multiset: AppHandler = async (ctx) => {
  let arg = ctx.arg;
  let sep: string | RegExp = /\s+/;
  const m = /^\^\^(.)/.exec(arg);
  if (m) {
    sep = m[1]!;
    arg = arg.slice(3);
  }
  for (const part of arg.split(sep)) {
    if (!part) continue;
    const [name, value] = splitAssignment(part);
    if (value === '') ctx.model.vars.delete(name);
    else ctx.model.setVar(name, value);
  }
  return NONE;
};

/** `pre_answer`: early media; the channel stays unanswered. */
export const preAnswer: AppHandler = async () => NONE;

export const exportApp: AppHandler = async (ctx) => {
  const [name, value] = splitAssignment(ctx.arg.replace(/^nolocal:/, ''));
  if (!ctx.arg.startsWith('nolocal:')) ctx.model.setVar(name, value);
  const prior = ctx.model.vars.get('export_vars');
  ctx.model.setVar('export_vars', prior ? `${prior},${name}` : name);
  return NONE;
};

export const hangup: AppHandler = async (ctx) => {
  ctx.hangup(ctx.arg || 'NORMAL_CLEARING');
  return NONE;
};

export const sleep: AppHandler = async (ctx) => {
  await ctx.sleep(Number(ctx.arg) || 0);
  return NONE;
};

const FAILURES: Record<Exclude<BridgeOutcome, 'answer'>, { cause: string; dialstatus: string }> = {
  busy: { cause: 'USER_BUSY', dialstatus: 'BUSY' },
  'no-answer': { cause: 'NO_ANSWER', dialstatus: 'NOANSWER' },
  'not-listening': { cause: 'NORMAL_TEMPORARY_FAILURE', dialstatus: 'NORMAL_TEMPORARY_FAILURE' },
};

/**
 * bridge: the script decides the far end. A failure sets originate_disposition, DIALSTATUS,
 * originate_failed_cause, last_bridge_hangup_cause; without continue_on_fail (true or a list holding
 * the cause) the caller is hung up with that cause (fact 9). When the far end answers, a caller not
 * yet answered is answered by the bridge; when the talk ends, hangup_after_bridge=true hangs the caller
 * up inside the app, so CHANNEL_HANGUP goes out before the bridge's EXECUTE_COMPLETE (as captured from
 * the real switch: test/switch/fixtures/bridge-answered-*.jsonl).
 */
export const bridge: AppHandler = async (ctx) => {
  const choice = ctx.script.bridge ?? 'answer';
  const outcome = typeof choice === 'function' ? choice(ctx.arg) : choice;
  const ringMs = ctx.script.bridgeRingMs ?? 20;
  if (outcome === 'answer' || outcome === 'no-answer') {
    if (!(await ctx.sleep(ringMs))) return NONE;
  }
  if (outcome === 'answer') {
    const other = randomUUID();
    if (ctx.model.answerState === 'ringing') await answer(ctx);
    ctx.model.setVar('originate_disposition', 'SUCCESS');
    ctx.model.setVar('DIALSTATUS', 'SUCCESS');
    ctx.model.setVar('bridge_uuid', other);
    ctx.emit('CHANNEL_BRIDGE', [['Bridge-A-Unique-ID', ctx.model.uuid], ['Bridge-B-Unique-ID', other]]);
    await ctx.sleep(ctx.script.bridgeTalkMs ?? 50);
    ctx.model.setVar('last_bridge_hangup_cause', 'NORMAL_CLEARING');
    ctx.model.setVar('bridge_hangup_cause', 'NORMAL_CLEARING');
    ctx.emit('CHANNEL_UNBRIDGE', [['Bridge-A-Unique-ID', ctx.model.uuid], ['Bridge-B-Unique-ID', other]]);
    if (ctx.model.vars.get('hangup_after_bridge') === 'true' && ctx.model.answerState !== 'hangup') ctx.hangup('NORMAL_CLEARING');
    return NONE;
  }
  const { cause, dialstatus } = FAILURES[outcome];
  ctx.model.setVar('originate_disposition', cause);
  ctx.model.setVar('DIALSTATUS', dialstatus);
  ctx.model.setVar('originate_failed_cause', cause);
  ctx.model.setVar('last_bridge_hangup_cause', cause);
  const cof = ctx.model.vars.get('continue_on_fail') ?? '';
  const continues = cof === 'true' || cof.split(',').includes(cause);
  if (!continues) ctx.hangup(cause);
  return NONE;
};

/** transfer <ext> [XML <context>]: the socket app ends, the socket stays attached (fact 10). */
export const transfer: AppHandler = async (ctx) => {
  const destination = ctx.arg.split(' ')[0] ?? '';
  return {
    ...NONE,
    afterComplete: async () => {
      await ctx.leaveSocket();
      const plan = ctx.script.transferDialplan?.(destination) ?? [['hangup', 'NORMAL_CLEARING']];
      await ctx.runDialplan(plan);
    },
  };
};

function ccEvent(ctx: AppContext, action: string, extra: Array<readonly [string, string]>, member: string): void {
  ctx.emit(
    'CUSTOM',
    [
      ['CC-Queue', ctx.arg],
      ['CC-Action', action],
      ...extra,
      ['CC-Member-UUID', member],
      ['CC-Member-Session-UUID', ctx.model.uuid],
      ['CC-Member-CID-Name', ctx.model.callerIdName],
      ['CC-Member-CID-Number', ctx.model.callerIdNumber],
    ],
    { subclass: 'callcenter::info', withVariables: false },
  );
}

/**
 * callcenter <queue>: without `callcenterAgent` no agent ever answers; it ends on hangup (BREAK_OUT) or
 * the script's timeout (TIMEOUT). With one, the agent answers and mod_callcenter bridges the legs itself
 * (uuid_bridge): the app completes at once with cc_cause=answered, the socket app completes too, the
 * socket stays attached, and the caller talks until the agent hangs up (hangup_after_bridge) — as
 * captured from the real switch (test/switch/fixtures/queue-agent-answers-*.jsonl).
 */
export const callcenter: AppHandler = async (ctx) => {
  const agent = ctx.script.callcenterAgent;
  if (agent) return callcenterAnswered(ctx, agent);
  const member = randomUUID();
  const joined = Math.floor(Date.now() / 1000);
  ctx.model.setVar('cc_side', 'member');
  ctx.model.setVar('cc_member_uuid', member);
  ctx.model.setVar('cc_queue_joined_epoch', String(joined));
  ctx.model.setVar('cc_queue', ctx.arg);
  ccEvent(ctx, 'member-queue-start', [], member);
  const limit = ctx.script.callcenterTimeoutMs ?? 24 * 3600_000;
  const timedOut = await ctx.sleep(limit);
  const reason = timedOut ? 'TIMEOUT' : 'BREAK_OUT';
  ctx.model.setVar('cc_cause', 'cancel');
  ctx.model.setVar('cc_cancel_reason', reason);
  ccEvent(
    ctx,
    'member-queue-end',
    [
      ['CC-Member-Leaving-Time', String(Math.floor(Date.now() / 1000))],
      ['CC-Member-Joined-Time', String(joined)],
      ['CC-Cause', 'Cancel'],
      ['CC-Cancel-Reason', reason],
    ],
    member,
  );
  return NONE;
};

async function callcenterAnswered(ctx: AppContext, agent: NonNullable<AppContext['script']['callcenterAgent']>) {
  const member = randomUUID();
  ctx.model.setVar('cc_side', 'member');
  ctx.model.setVar('cc_member_uuid', member);
  ctx.model.setVar('cc_queue_joined_epoch', String(Math.floor(Date.now() / 1000)));
  ctx.model.setVar('cc_queue', ctx.arg);
  ccEvent(ctx, 'member-queue-start', [], member);
  if (!(await ctx.sleep(agent.answerAfterMs))) return NONE;
  const other = randomUUID();
  ctx.model.setVar('cc_agent_uuid', other);
  ctx.model.setVar('uuid_bridge', other);
  ctx.model.setVar('bridge_uuid', other);
  ctx.model.setVar('signal_bond', other);
  ctx.model.setVar('cc_cause', 'answered');
  return {
    ...NONE,
    completeHeaders: [
      ['Other-Leg-Destination-Number', agent.extension],
      ['Other-Leg-Unique-ID', other],
    ] as const,
    afterComplete: async () => {
      await ctx.leaveSocket();
      if (!(await ctx.sleep(agent.talkMs))) return;
      ctx.model.setVar('cc_agent', `${agent.extension}@${ctx.arg.split('@')[1] ?? 'default'}`);
      ctx.hangup('NORMAL_CLEARING');
    },
  };
}

/** record_session <path>: starts a media bug and returns at once; the emulator writes no file. */
export const recordSession: AppHandler = async () => NONE;

export const voicemail: AppHandler = async (ctx) => {
  await ctx.sleep(ctx.script.voicemailMs ?? 50);
  return NONE;
};
