import { z } from '@hono/zod-openapi';

/** Shared OpenAPI schemas. */
export const ErrorSchema = z
  .object({
    error: z.string().openapi({ example: 'IVR not found' }),
    code: z.string().openapi({ example: 'not_found' }),
    details: z.unknown().optional(),
  })
  .openapi('Error');

export const IdParam = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '2d7a59e9-4304-4032-a0c1-f8df2429751c' }),
});

const err = (description: string) => ({ content: { 'application/json': { schema: ErrorSchema } }, description });

/** Standard error responses to spread into a route's `responses`. */
export const errorResponses = {
  400: err('Invalid request body or parameters; details.fields lists each failing field'),
  401: err('Missing or invalid credentials'),
  403: err('The credentials lack a permission; details.missing_permission names it'),
  404: err('Not found in your organization'),
} as const;

export const conflictResponse = { 409: err('Conflicts with an existing object; details.conflict names it') } as const;
export const unprocessableResponse = { 422: err('Validation of the whole configuration failed') } as const;
export const serverErrorResponse = { 500: err('Server-side failure (e.g. text-to-speech)') } as const;

export const jsonContent = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

export const security: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { apiKeyAuth: [] }];
