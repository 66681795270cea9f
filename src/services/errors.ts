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

/** A 400 lists at most this many field problems; `details.more` counts the rest. */
export const MAX_FIELD_ISSUES = 20;
const MAX_FIELD_CHARS = 200;
const MAX_ISSUE_MESSAGE_CHARS = 500;
const MAX_MESSAGE_CHARS = 2000;

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * "a: msg; b: msg" over the first MAX_FIELD_ISSUES problems, plus how many more there are: the
 * summary a ValidationError's message carries, so a body with thousands of bad items stays small.
 */
export function summarizeIssues(fields: readonly FieldIssue[]): string {
  const shown = fields.slice(0, MAX_FIELD_ISSUES).map((f) => `${clip(f.field, MAX_FIELD_CHARS)}: ${clip(f.message, MAX_ISSUE_MESSAGE_CHARS)}`);
  const rest = fields.length - shown.length;
  return rest > 0 ? `${shown.join('; ')}; and ${rest} more` : shown.join('; ');
}

/**
 * 400 with `details.fields` (at most MAX_FIELD_ISSUES, each field path and message clipped) and,
 * when some were left out, `details.more` counting them. The message is clipped as well: however a
 * caller builds it, the response stays a few kilobytes.
 */
export class ValidationError extends ApiError {
  override readonly name = 'ValidationError';
  readonly status = 400;
  readonly code = 'validation_error';
  constructor(message: string, fields: readonly FieldIssue[] = []) {
    const shown = fields
      .slice(0, MAX_FIELD_ISSUES)
      .map((f) => ({ field: clip(f.field, MAX_FIELD_CHARS), message: clip(f.message, MAX_ISSUE_MESSAGE_CHARS) }));
    const more = fields.length - shown.length;
    super(clip(message, MAX_MESSAGE_CHARS), more > 0 ? { fields: shown, more } : { fields: shown });
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
