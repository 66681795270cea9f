/** Voicemail's domain errors; the API's onError maps them to responses. */
export class VoicemailNotFoundError extends Error {
  override readonly name = 'VoicemailNotFoundError';
}

/** A greeting could not be rendered by the text-to-speech engine. */
export class VoicemailGreetingError extends Error {
  override readonly name = 'VoicemailGreetingError';
}
