import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../../context.ts';
import { DomainError, type FieldIssue } from '../../../domain/errors.ts';
import { PayloadTooLargeError, STATUS_OF_CODE } from '../../error-response.ts';

/** One failure, before a vendor's envelope dresses it: the same statuses and codes as our own API. */
export interface VendorFailure {
  status: ContentfulStatusCode;
  code: string;
  message: string;
  /** validation_error: each failing field, by the vendor's name. */
  fields: FieldIssue[];
  /** The error's details as thrown: `conflict` (the object holding a number), `field`/`value` (what was not found)… */
  details: Record<string, unknown>;
}

/**
 * The adapters' `onError`: every failure of a vendor route (its authentication and permission checks included)
 * in that vendor's envelope, with the status our API gives it. Mirrors app.ts's handler, which it replaces there.
 */
export function vendorErrorHandler(envelope: (f: VendorFailure, c: Context<AppEnv>) => object): ErrorHandler<AppEnv> {
  return (err, c) => {
    const failure = toFailure(err, c);
    if (failure.status === 413) c.header('Connection', 'close');
    return c.json(envelope(failure, c), failure.status);
  };
}

function toFailure(err: Error, c: Context<AppEnv>): VendorFailure {
  if (err instanceof PayloadTooLargeError) return { status: 413, code: err.code, message: err.message, fields: [], details: {} };
  if (err instanceof DomainError) {
    const status = STATUS_OF_CODE[err.code];
    if (status >= 500) c.get('logger')?.error({ err }, err.message);
    const details = (typeof err.details === 'object' && err.details !== null ? err.details : {}) as Record<string, unknown>;
    return { status, code: err.code, message: err.message, fields: (details.fields as FieldIssue[] | undefined) ?? [], details };
  }
  if (err instanceof HTTPException) {
    const code = err.status === 400 ? 'validation_error' : err.status === 401 ? 'unauthorized' : 'http_error';
    return { status: err.status as ContentfulStatusCode, code, message: err.message || 'Bad request', fields: [], details: {} };
  }
  (c.get('logger') ?? c.get('deps').logger).error({ err }, 'unhandled error');
  return { status: 500, code: 'internal_error', message: 'Internal server error', fields: [], details: {} };
}
