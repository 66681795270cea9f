import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, errorResponses, jsonContent, security, unprocessableResponse } from '../../schemas.ts';

const tags = ['Publish'];

const ProblemSchema = z
  .object({
    code: z.string().openapi({ example: 'dangling_reference' }),
    message: z.string().openapi({ example: 'DID +918065978001: IVR 2d7a59e9-4304-4032-a0c1-f8df2429751c does not exist' }),
    path: z.string().openapi({ example: 'dids.+918065978001' }),
    ref: z.object({ type: z.string(), value: z.string().nullable() }).optional(),
  })
  .openapi('ConfigProblem');

export const PublishResultSchema = z
  .object({
    success: z.literal(true),
    message: z.string().openapi({ example: 'Configuration deployed for organization Acme' }),
    version: z.number().int(),
    changed: z.boolean().openapi({ description: 'false when the configuration equals the latest published version' }),
    warnings: z.array(ProblemSchema),
  })
  .openapi('PublishResult');

const VersionSchema = z
  .object({
    version: z.number().int(),
    createdAt: z.string(),
    published_by: z.string().nullable(),
    content_hash: z.string(),
    changed: z.array(z.string()).openapi({
      description: 'Sections that differ from the previous version (ivrs, extensions, queues, agents, dids, org)',
      example: ['ivrs', 'dids'],
    }),
  })
  .openapi('ConfigVersion');

const VersionParam = z.object({
  version: z.coerce.number().int().positive().openapi({ param: { name: 'version', in: 'path' }, example: 3 }),
});

const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ param: { name: 'limit', in: 'query' } }),
});

export const publishIvr = createRoute({
  method: 'post', path: '/ivrs/{id}/publish', tags, security,
  summary: "Publish the organization's configuration (validates the whole graph, writes a new immutable version)",
  middleware: [requirePermission('ivr.write')] as const,
  request: { params: IdParam },
  responses: {
    200: jsonContent(PublishResultSchema, 'Published (or unchanged: same version, changed false)'),
    401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404],
    ...unprocessableResponse,
  },
});

const LocatedProblemSchema = ProblemSchema.extend({
  section: z.string().openapi({ example: 'ivrs', description: 'First part of path: ivrs, dids, queues, agents, schedules, …' }),
  object_id: z.string().nullable().openapi({ description: 'The object the finding is about (IVR id, DID number, queue number, …)' }),
  ivr_id: z.string().nullable().openapi({ description: 'The IVR, for findings about an IVR or one of its options' }),
  option: z.string().nullable().openapi({ example: '3', description: 'The menu option\'s digit, for findings about one option' }),
  field: z.string().nullable().openapi({ example: 'timeout_destination', description: 'The rest of the path under the object' }),
}).openapi('LocatedConfigProblem');

const ValidationReportSchema = z
  .object({
    ok: z.boolean().openapi({ description: 'true when publishing would succeed (no problems; warnings may remain)' }),
    problems: z.array(LocatedProblemSchema).openapi({ description: 'What would block publishing (the 422 of publish lists the same)' }),
    warnings: z.array(LocatedProblemSchema),
  })
  .openapi('ConfigValidation');

export const validateConfig = createRoute({
  method: 'post', path: '/config/validate', tags, security,
  summary: 'Dry run of publish: validates the whole draft configuration and writes nothing',
  middleware: [requirePermission('ivr.read')] as const,
  responses: { 200: jsonContent(ValidationReportSchema, 'The problems and warnings publishing would report'), 401: errorResponses[401], 403: errorResponses[403] },
});

export const listVersions = createRoute({
  method: 'get', path: '/config/versions', tags, security, summary: 'Published configuration versions, newest first',
  middleware: [requirePermission('ivr.read')] as const,
  request: { query: ListQuery },
  responses: { 200: jsonContent(z.array(VersionSchema), 'Versions'), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
});

export const getVersion = createRoute({
  method: 'get', path: '/config/versions/{version}', tags, security, summary: 'One published snapshot, exactly as calls read it',
  middleware: [requirePermission('ivr.read')] as const,
  request: { params: VersionParam },
  responses: { 200: jsonContent(z.record(z.string(), z.unknown()).openapi('ConfigSnapshot'), 'The snapshot'), ...errorResponses },
});
