import type { ActionHandlers } from '../session.ts';
import { aiAgentAction } from './ai-agent.ts';
import { callbackAction } from './callback.ts';
import { extensionAction } from './extension.ts';
import { externalAction } from './external.ts';
import { hangupAction } from './hangup.ts';
import { intercomAction } from './intercom.ts';
import { ivrAction } from './ivr.ts';
import { playPromptAction } from './play-prompt.ts';
import { queueAction } from './queue.ts';
import { repeatAction } from './repeat.ts';
import { timeConditionAction } from './time-condition.ts';
import { voicemailAction } from './voicemail.ts';

/**
 * One module per action type; adding an action is adding a file and a line here (the Record is exhaustive).
 * Built once; the runner gives it to every call (CallSession.actions), and nothing below imports it.
 */
export const ACTION_HANDLERS: ActionHandlers = Object.freeze({
  extension: extensionAction,
  queue: queueAction,
  ivr: ivrAction,
  voicemail: voicemailAction,
  hangup: hangupAction,
  callback: callbackAction,
  ai_agent: aiAgentAction,
  external: externalAction,
  play_prompt: playPromptAction,
  repeat: repeatAction,
  intercom: intercomAction,
  time_condition: timeConditionAction,
});
