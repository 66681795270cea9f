import { addStep, type ActionHandler } from '../session.ts';
import { isPlayablePrompt, PROMPTS } from '../prompts.ts';
import { play } from '../media.ts';

/** Play a recording (e.g. opening hours), then back to the menu. */
export const playPromptAction: ActionHandler = async (s, dest) => {
  const file = dest.value && isPlayablePrompt(dest.value) ? dest.value : PROMPTS.confirm;
  addStep(s, { step: 'action', type: 'play_prompt', value: dest.value });
  await play(s, file);
  return { next: 'menu' };
};
