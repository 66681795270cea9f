import { addStep, emit, type ActionOutcome, type CallSession } from './session.ts';
import { PROMPTS } from './prompts.ts';
import type { SnapshotIvr } from '../publish/snapshot.ts';
import { answer, answerThen, collect, play, playThenHangup } from './media.ts';
import { extensionAction } from './actions/extension.ts';
import { finalDestination } from './final-destination.ts';

/**
 * Walk the IVR tree from `startIvrId` until the call is handed off or ends. Nested menus are
 * followed in this loop; a call that keeps re-entering menus (a menu that transfers into itself)
 * ends after settings.maxIvrEntries visits.
 */
export async function runIvr(s: CallSession, startIvrId: string): Promise<void> {
  let ivrId = startIvrId;
  for (;;) {
    s.ivrEntries++;
    if (s.ivrEntries > s.deps.settings.maxIvrEntries) {
      addStep(s, { step: 'loop_limit', ivrId });
      s.record.disposition ??= 'failed';
      s.stage = 'prompt';
      await playThenHangup(s, PROMPTS.goodbye, 'NORMAL_CLEARING');
      return;
    }
    const ivr = s.snapshot?.ivrs[ivrId];
    if (!ivr) {
      addStep(s, { step: 'action', type: 'ivr', value: ivrId, result: 'not_published' });
      s.record.disposition = 'failed';
      s.stage = 'prompt';
      await answer(s);
      await playThenHangup(s, PROMPTS.apology, 'NORMAL_TEMPORARY_FAILURE');
      return;
    }
    addStep(s, { step: 'ivr', ivrId: ivr.id, name: ivr.name });
    // The first menu's answer leaves with its first prompt (one write, one round trip less).
    const outcome = await runMenu(s, ivr);
    if (outcome.next !== 'ivr') return;
    ivrId = outcome.ivrId;
  }
}

/** Timeouts and invalid entries are counted separately, each against its own limit (max_retries when a snapshot predates them). */
export function retryLimits(ivr: SnapshotIvr): { maxTimeouts: number; maxInvalids: number } {
  return { maxTimeouts: ivr.maxTimeouts ?? ivr.maxRetries, maxInvalids: ivr.maxInvalids ?? ivr.maxRetries };
}

async function runMenu(s: CallSession, ivr: SnapshotIvr): Promise<ActionOutcome> {
  const directDial = ivr.directDial.policy !== 'disabled';
  const maxDigits = directDial ? 4 : 1;
  const terminators = directDial && !ivr.options['#'] ? '#' : 'none';
  const foreverMs = s.deps.settings.foreverS * 1000;
  const { maxTimeouts, maxInvalids } = retryLimits(ivr);
  let timeouts = 0;
  let invalids = 0;
  let before: string | null = null;

  for (;;) {
    const greeting = ivr.greetingFile ?? PROMPTS.greetingFallback;
    s.stage = s.ivrEntries === 1 && timeouts + invalids === 0 ? 'greeting' : 'menu';
    const got = await answerThen(s, () =>
      collect(s, {
        file: before ? `file_string://${before}!${greeting}` : greeting,
        maxDigits,
        timeoutMs: ivr.timeoutS === 0 ? foreverMs : ivr.timeoutS * 1000,
        digitTimeoutMs: ivr.interDigitTimeoutS * 1000,
        terminators,
      }),
    );
    before = null;
    let reason: 'timeout' | 'invalid';

    if (got.kind === 'digits') {
      const digits = got.digits;
      addStep(s, { step: 'digits', ivrId: ivr.id, digits });
      const option = ivr.options[digits];
      if (option) {
        emit(s, { type: 'ivr.selection', ivrId: ivr.id, digits, action: option.type, destination: option.value });
        const out = await s.actions[option.type](s, { type: option.type, value: option.value });
        if (out.next === 'menu' || out.next === 'repeat') continue;
        return out;
      }
      if (directDial && digits.length === 4 && directDialAllowed(s, ivr, digits)) {
        emit(s, { type: 'ivr.selection', ivrId: ivr.id, digits, action: 'direct_dial', destination: digits });
        return extensionAction(s, { type: 'extension', value: digits });
      }
      reason = 'invalid';
      invalids++;
      addStep(s, { step: 'invalid', ivrId: ivr.id, count: invalids, digits });
    } else {
      reason = 'timeout';
      timeouts++;
      addStep(s, { step: 'timeout', ivrId: ivr.id, count: timeouts });
    }

    const prompt = reason === 'timeout' ? (ivr.timeoutPrompt ?? PROMPTS.timeout) : (ivr.invalidPrompt ?? PROMPTS.invalid);
    if (reason === 'timeout' ? timeouts < maxTimeouts : invalids < maxInvalids) {
      before = prompt;
      continue;
    }
    return exhausted(s, ivr, reason, prompt);
  }
}

async function exhausted(s: CallSession, ivr: SnapshotIvr, reason: 'timeout' | 'invalid', prompt: string): Promise<ActionOutcome> {
  addStep(s, { step: 'exhausted', ivrId: ivr.id, reason });
  const dest = reason === 'timeout' ? ivr.timeoutDestination : ivr.invalidDestination;
  if (dest) {
    s.stage = 'prompt';
    await play(s, prompt);
    const out = await finalDestination(s, dest);
    if (out.next === 'ivr') return out;
    if (out.next === 'end') return out;
  }
  s.record.disposition ??= reason === 'timeout' ? 'no_input' : 'invalid_input';
  s.stage = 'prompt';
  await playThenHangup(s, `file_string://${prompt}!${PROMPTS.goodbye}`, 'NORMAL_CLEARING');
  return { next: 'end' };
}

function directDialAllowed(s: CallSession, ivr: SnapshotIvr, ext: string): boolean {
  const known = s.snapshot?.extensions[ext];
  if (!known || !known.enabled) return false;
  const { policy, list } = ivr.directDial;
  if (policy === 'all') return true;
  if (policy === 'allow_list') return list.includes(ext);
  if (policy === 'deny_list') return !list.includes(ext);
  return false;
}
