/**
 * The domain's errors. Services (and publish, and the switch's call control) throw them; only the HTTP
 * layer knows their status codes: src/http/error-response.ts maps each `code` to one, and the one `onError` in
 * src/http/app.ts turns them into the JSON error shape. Each has a literal `name`, a stable `code` and,
 * where a client can act on it, `details`.
 */
export type DomainErrorCode =
  | 'validation_error'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'upstream_error'
  | 'service_unavailable';

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export type FieldIssue = { field: string; message: string };

/** A ValidationError lists at most this many field problems; `details.more` counts the rest. */
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
 * Invalid input: `details.fields` (at most MAX_FIELD_ISSUES, each field path and message clipped) and,
 * when some were left out, `details.more` counting them. The message is clipped as well: however a
 * caller builds it, the response stays a few kilobytes.
 */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  readonly code = 'validation_error';
  constructor(message: string, fields: readonly FieldIssue[] = []) {
    const shown = fields
      .slice(0, MAX_FIELD_ISSUES)
      .map((f) => ({ field: clip(f.field, MAX_FIELD_CHARS), message: clip(f.message, MAX_ISSUE_MESSAGE_CHARS) }));
    const more = fields.length - shown.length;
    super(clip(message, MAX_MESSAGE_CHARS), more > 0 ? { fields: shown, more } : { fields: shown });
  }
}

export class UnauthorizedError extends DomainError {
  override readonly name = 'UnauthorizedError';
  readonly code = 'unauthorized';
}

export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
  readonly code = 'forbidden';
  constructor(message: string, missingPermission?: string) {
    super(message, missingPermission ? { missing_permission: missingPermission } : undefined);
  }
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
  readonly code = 'not_found';
}

export class ConflictError extends DomainError {
  override readonly name = 'ConflictError';
  readonly code = 'conflict';
  /** `conflict` names the object already holding the value: { type, id, ... }. */
  constructor(message: string, conflict?: Record<string, unknown>) {
    super(message, conflict ? { conflict } : undefined);
  }
}

export class UnprocessableError extends DomainError {
  override readonly name = 'UnprocessableError';
  readonly code = 'unprocessable';
}

export class UpstreamError extends DomainError {
  override readonly name = 'UpstreamError';
  readonly code = 'upstream_error';
}

export class ServiceUnavailableError extends DomainError {
  override readonly name = 'ServiceUnavailableError';
  readonly code = 'service_unavailable';
}
