import { PROMPTS } from '../call/prompts.ts';
import { VOICEMAIL_BEEP } from '../call/actions/voicemail.ts';
import type { ConfigSnapshot } from '../publish/snapshot.ts';

/** What a played file is to the caller: its role, and the TTS text it was rendered from, when there is one. */
export interface PromptInfo {
  name: string;
  text?: string;
}

/** Every built-in prompt's role (a Record: a new built-in prompt needs a name here). */
const BUILT_IN: Record<keyof typeof PROMPTS, string> = {
  greetingFallback: 'greeting',
  timeout: 'timeout',
  invalid: 'invalid',
  goodbye: 'goodbye',
  notInService: 'not_in_service',
  unavailable: 'unavailable',
  confirm: 'confirm',
  apology: 'apology',
};

/**
 * Names the files a walk of `snapshot` can play: the built-in tones, each menu's greeting (with its text) and
 * timeout/invalid prompts, play_prompt recordings, and the voicemail greetings (`voicemailGreetings`: file → text).
 */
export function promptNames(snapshot: ConfigSnapshot, voicemailGreetings: ReadonlyMap<string, string>): (file: string) => PromptInfo {
  const known = new Map<string, PromptInfo>();
  for (const [key, file] of Object.entries(PROMPTS)) known.set(file, { name: BUILT_IN[key as keyof typeof PROMPTS] });
  known.set(VOICEMAIL_BEEP, { name: 'beep' });
  for (const [file, text] of voicemailGreetings) known.set(file, { name: 'voicemail_greeting', text });
  for (const ivr of Object.values(snapshot.ivrs)) {
    for (const o of Object.values(ivr.options)) if (o.type === 'play_prompt' && o.value) known.set(o.value, { name: 'play_prompt' });
    if (ivr.timeoutPrompt) known.set(ivr.timeoutPrompt, { name: 'timeout' });
    if (ivr.invalidPrompt) known.set(ivr.invalidPrompt, { name: 'invalid' });
    if (ivr.greetingFile) known.set(ivr.greetingFile, { name: 'greeting', ...(ivr.greetingText ? { text: ivr.greetingText } : {}) });
  }
  return (file) => known.get(file) ?? { name: 'file' };
}
