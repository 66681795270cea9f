import type { DomainErrorCode } from '../domain/errors.ts';

/**
 * The HTTP side of errors: the status of every domain error code (the one `onError` in app.ts uses it),
 * the one error of the HTTP layer itself (a body over the limit), and the JSON error body.
 */
export const STATUS_OF_CODE = {
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  upstream_error: 500,
  service_unavailable: 503,
} as const satisfies Record<DomainErrorCode, number>;

export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
  readonly code = 'payload_too_large';
}

/**
 * The one JSON error body every failure uses: the seed API's `{"error": "<message>"}`,
 * plus a stable machine-readable `code` and, where useful, `details`.
 */
export function errorBody(code: string, message: string, details?: unknown) {
  return details === undefined ? { error: message, code } : { error: message, code, details };
}
