import { DomainError } from '../../domain/errors.ts';

/** Voicemail's domain errors; the API's onError maps them to responses by their code. */
export class VoicemailNotFoundError extends DomainError {
  override readonly name = 'VoicemailNotFoundError';
  readonly code = 'not_found';
}

/** A greeting could not be rendered by the text-to-speech engine. */
export class VoicemailGreetingError extends DomainError {
  override readonly name = 'VoicemailGreetingError';
  readonly code = 'upstream_error';
}
