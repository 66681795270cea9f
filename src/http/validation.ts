import type { Hook } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { ValidationError, summarizeIssues, type FieldIssue } from '../domain/errors.ts';

export function zodIssues(error: ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', message: i.message }));
}

/** Every request that fails its schema becomes a 400 listing the failing fields (the first few; see ValidationError). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (!result.success) {
    const fields = zodIssues(result.error as ZodError);
    throw new ValidationError(`Invalid request: ${summarizeIssues(fields)}`, fields);
  }
};
