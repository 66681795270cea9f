/** Languages whose espeak-ng voice is not simply the primary subtag (shared by the binary and the WebAssembly engine). */
const VOICE_BY_TAG: Record<string, string> = {
  en: 'en-gb',
  'en-us': 'en-us',
  'en-029': 'en-029',
  fr: 'fr-fr',
  'fr-be': 'fr-be',
  'fr-ch': 'fr-ch',
  'pt-br': 'pt-br',
  'es-419': 'es-419',
  zh: 'cmn',
  'zh-cn': 'cmn',
  'zh-hk': 'yue',
  yue: 'yue',
};

/**
 * BCP-47 language → espeak-ng voice: en-IN → en-gb, en-US → en-us, hi-IN → hi, ta-IN → ta.
 * Anything that does not look like a language tag becomes "en" (never an option-like string).
 */
export function espeakVoiceFor(language: string): string {
  const tag = language.trim().toLowerCase().replace(/_/g, '-');
  if (!/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(tag)) return 'en';
  const primary = tag.split('-')[0] as string;
  return VOICE_BY_TAG[tag] ?? VOICE_BY_TAG[primary] ?? primary;
}
