/**
 * Errors the API turns into responses. Each has a literal `name`; the one `onError`
 * handler in app.ts maps them to the JSON error shape. Anything else is a 500 with
 * no stack trace.
 */
export abstract class ApiError extends Error {
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 500 | 502 | 503;
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export type FieldIssue = { field: string; message: string };

export class ValidationError extends ApiError {
  override readonly name = 'ValidationError';
  readonly status = 400;
  readonly code = 'validation_error';
  constructor(message: string, fields: FieldIssue[] = []) {
    super(message, { fields });
  }
}

export class UnauthorizedError extends ApiError {
  override readonly name = 'UnauthorizedError';
  readonly status = 401;
  readonly code = 'unauthorized';
}

export class ForbiddenError extends ApiError {
  override readonly name = 'ForbiddenError';
  readonly status = 403;
  readonly code = 'forbidden';
  constructor(message: string, missingPermission?: string) {
    super(message, missingPermission ? { missing_permission: missingPermission } : undefined);
  }
}

export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
  readonly status = 404;
  readonly code = 'not_found';
}

export class ConflictError extends ApiError {
  override readonly name = 'ConflictError';
  readonly status = 409;
  readonly code = 'conflict';
  /** `conflict` names the object already holding the value: { type, id, ... }. */
  constructor(message: string, conflict?: Record<string, unknown>) {
    super(message, conflict ? { conflict } : undefined);
  }
}

export class PayloadTooLargeError extends ApiError {
  override readonly name = 'PayloadTooLargeError';
  readonly status = 413;
  readonly code = 'payload_too_large';
}

export class UnprocessableError extends ApiError {
  override readonly name = 'UnprocessableError';
  readonly status = 422;
  readonly code = 'unprocessable';
}

export class UpstreamError extends ApiError {
  override readonly name = 'UpstreamError';
  readonly status = 500;
  readonly code = 'upstream_error';
}

export class ServiceUnavailableError extends ApiError {
  override readonly name = 'ServiceUnavailableError';
  readonly status = 503;
  readonly code = 'service_unavailable';
}

/**
 * The one JSON error body every failure uses: the seed API's `{"error": "<message>"}`,
 * plus a stable machine-readable `code` and, where useful, `details`.
 */
export function errorBody(code: string, message: string, details?: unknown) {
  return details === undefined ? { error: message, code } : { error: message, code, details };
}
