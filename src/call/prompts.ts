/**
 * Built-in prompts, as tone streams FreeSWITCH generates itself (no sound packages needed).
 * An admin's own prompts are sound files (absolute paths FreeSWITCH can read) or tone_stream:// specs.
 */
export const PROMPTS = {
  /** Played when an IVR has no greeting yet. */
  greetingFallback: 'tone_stream://%(250,50,523);%(250,50,659);%(400,0,784)',
  timeout: 'tone_stream://%(200,100,440);%(200,0,440)',
  invalid: 'tone_stream://%(150,50,300);%(150,50,300);%(150,0,300)',
  goodbye: 'tone_stream://%(400,50,659);%(600,0,523)',
  /** Special information tone: "the number you have dialled is not in service". */
  notInService: 'tone_stream://%(274,0,913.8);%(274,0,1370.6);%(380,0,1776.7)',
  unavailable: 'tone_stream://%(500,500,480,620);%(500,500,480,620)',
  confirm: 'tone_stream://%(150,50,880);%(300,0,1175)',
  apology: 'tone_stream://%(300,100,392);%(300,100,330);%(500,0,262)',
} as const;

const PROMPT_RE = /^(tone_stream:\/\/|silence_stream:\/\/|\/[\w./-]+\.(wav|mp3|ogg)$|local_stream:\/\/)/;

/** Whether an admin-provided prompt is something FreeSWITCH can play as is. */
export function isPlayablePrompt(p: string): boolean {
  return PROMPT_RE.test(p);
}
