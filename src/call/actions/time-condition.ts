import { evaluateSchedule } from '../../domain/business-hours.ts';
import { addStep, END, type ActionHandler, type CallSession } from '../session.ts';
import { PROMPTS } from '../prompts.ts';
import { answer, playThenHangup } from '../media.ts';
import { finalDestination } from '../final-destination.ts';

/**
 * Schedules one call may pass through in a row. Publish refuses schedules that lead back to themselves;
 * this only keeps a hand-built or corrupt snapshot from spinning a call forever.
 */
const MAX_SCHEDULE_CHAIN = 16;

/**
 * A business-hours schedule (time_condition): "now" from the call's clock (CallDeps.now) on the schedule's
 * wall clock picks the open or the closed destination, and the call goes on there through the session's
 * action table. The call log's path says which: result open, closed or holiday.
 */
export const timeConditionAction: ActionHandler = async (s, dest) => {
  const schedule = s.snapshot?.schedules?.[dest.value ?? ''];
  if (!schedule || chainLength(s) >= MAX_SCHEDULE_CHAIN) {
    addStep(s, { step: 'action', type: 'time_condition', value: dest.value, result: schedule ? 'loop_limit' : 'not_published' });
    s.record.disposition = 'failed';
    s.stage = 'prompt';
    await answer(s);
    await playThenHangup(s, PROMPTS.apology, 'NORMAL_TEMPORARY_FAILURE');
    return END;
  }
  const state = evaluateSchedule(schedule, s.deps.now());
  addStep(s, { step: 'action', type: 'time_condition', value: schedule.id, result: state.reason });
  return finalDestination(s, state.open ? schedule.open : schedule.closed);
};

/** How many schedules the call has just passed through, one straight after another. */
function chainLength(s: CallSession): number {
  let n = 0;
  for (let i = s.record.path.length - 1; i >= 0; i--) {
    const p = s.record.path[i]!;
    if (p.step !== 'action' || p.type !== 'time_condition') break;
    n++;
  }
  return n;
}
