import { addStep } from '../../calls/session.ts';
import { PROMPTS } from '../../calls/prompts.ts';
import { answer, play } from '../media.ts';
import { finalDestination } from './final.ts';
import { hangupAction } from './hangup.ts';
import type { ActionHandler } from './types.ts';

/**
 * Hand the call to an AI agent. Until the AI bridge is wired in, the caller is never left in
 * dead air: an apology, then the agent's fallback destination (or hangup).
 */
export const aiAgentAction: ActionHandler = async (s, dest) => {
  const agent = dest.value ? s.snapshot?.agents[dest.value] : undefined;
  addStep(s, { step: 'action', type: 'ai_agent', value: dest.value, result: 'not_available' });
  await answer(s);
  await play(s, PROMPTS.apology);
  s.record.disposition = 'bot_unavailable';
  if (agent?.fallback) return finalDestination(s, agent.fallback);
  return hangupAction(s, { type: 'hangup', value: null });
};
