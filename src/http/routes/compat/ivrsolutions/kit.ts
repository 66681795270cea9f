/**
 * How every IVR Solutions route is built: one declaration gives the handler and its OpenAPI entry from the
 * same schema. A request's fields are its query parameters and its body (JSON, form-urlencoded or
 * multipart) together; `token` (or `Authorization: Bearer`, or `X-API-Key`) is one of our API keys or
 * login tokens. Every answer, failures too, is the vendor's envelope: `status` (200 / true, or the HTTP
 * status / false), `message`, and on a 400 `errors` naming each field. A field the endpoint does not
 * have is a 400, never ignored.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../../../context.ts';
import { STATUS_OF_CODE } from '../../../error-response.ts';
import { requestHeader } from '../../../request-headers.ts';
import { createPrincipalResolver, type Credential } from '../../../middleware/auth.ts';
import { zodIssues } from '../../../validation.ts';
import { grants } from '../../../../services/auth/permissions.ts';
import { API_KEY_PREFIX } from '../../../../services/auth/tokens.ts';
import { DomainError, ForbiddenError, UnauthorizedError, ValidationError, type FieldIssue } from '../../../../domain/errors.ts';

export const TAG = 'Compat: IVR Solutions';
const INVALID = 'Invalid request';

/** The vendor's two envelopes: `status: 200` (reads, calls) or `status: true` (changes). */
export type Style = 'code' | 'bool';

/** Where a path comes from: the vendor's document, their published client code, or named by us where they give none. */
export type PathSource = 'seed' | 'client' | 'named';

const SOURCE_NOTE: Record<PathSource, string> = {
  seed: 'Path as in the vendor\'s API document.',
  client: 'Path as the vendor\'s public client integrations call it (their document shows none).',
  named: 'The vendor\'s document gives no path for this endpoint: named by us after their naming.',
};

export interface VendorRoute<I extends z.ZodType> {
  methods: ReadonlyArray<'get' | 'post'>;
  /** The vendor's path, verbatim (`/api/c2c_post`). */
  path: string;
  source: PathSource;
  summary: string;
  description?: string;
  permission: string;
  style: Style;
  /** The request's fields (query and body together; `token` is taken out first). A strict object. */
  input: I;
  /** The success body without `status` (for the documentation). */
  output: z.ZodType;
  /** Returns the success body's fields; `status` is added by the style. */
  handle: (c: Context<AppEnv>, input: z.output<I>) => Record<string, unknown> | Promise<Record<string, unknown>>;
}

const ErrorEnvelope = z
  .object({
    status: z.union([z.number().int(), z.literal(false)]).openapi({ description: 'The HTTP status (200-style endpoints) or false (true-style endpoints)' }),
    message: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional().openapi({ description: 'Each failing field (400)' }),
  })
  .openapi('IvrSolutionsError');

const errorDoc = (description: string) => ({ description, content: { 'application/json': { schema: ErrorEnvelope } } });

/** A registrar for the vendor's routes on one sub-app; the credential resolver is the one of src/http/middleware/auth.ts. */
export function vendorRouter() {
  const app = new OpenAPIHono<AppEnv>();
  const resolve = createPrincipalResolver();
  app.openAPIRegistry.registerComponent('securitySchemes', 'ivrSolutionsToken', { type: 'apiKey', in: 'query', name: 'token' });

  const route = <I extends z.ZodType>(def: VendorRoute<I>): void => {
    for (const method of def.methods) {
      app.openAPIRegistry.registerPath({
        method, path: def.path, tags: [TAG], summary: def.summary,
        description: [def.description, SOURCE_NOTE[def.source], `Needs \`${def.permission}\`.`].filter(Boolean).join('\n\n'),
        security: [{ bearerAuth: [] }, { ivrSolutionsToken: [] }, { apiKeyAuth: [] }],
        request: method === 'get'
          ? { query: def.input as never }
          : {
              body: {
                content: {
                  'application/json': { schema: def.input },
                  'application/x-www-form-urlencoded': { schema: def.input },
                  'multipart/form-data': { schema: def.input },
                },
              },
            },
        responses: {
          200: { description: 'Done', content: { 'application/json': { schema: withStatus(def.style, def.output) } } },
          400: errorDoc('A field is missing, invalid, unknown to this endpoint, or asks for what Switchboard cannot do; `errors` names each'),
          401: errorDoc('No token, or not one of our API keys / login tokens'),
          403: errorDoc('The token lacks the permission'),
          404: errorDoc('What the request names is not in your organization'),
          409: errorDoc('Conflicts with what exists'),
          503: errorDoc('FreeSWITCH is not connected: nothing was placed'),
        },
      });
    }
    app.on(def.methods.map((m) => m.toUpperCase()), def.path, async (c) => {
      try {
        const fields = await readFields(c);
        const principal = await resolve(c.get('deps'), credentialOf(c, fields.token));
        c.set('principal', principal);
        if (!grants(principal.permissions, def.permission)) throw new ForbiddenError(`Missing permission: ${def.permission}`, def.permission);
        delete fields.token;
        const parsed = def.input.safeParse(fields);
        if (!parsed.success) throw new ValidationError(INVALID, issuesOf(parsed.error));
        const body = await def.handle(c, parsed.data);
        return c.json(def.style === 'code' ? { status: 200, ...body } : { status: true, ...body }, 200);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err; // the app's one onError: 413, 500
        return failure(c, def.style, err);
      }
    });
  };

  return { app, route };
}

function withStatus(style: Style, output: z.ZodType): z.ZodType {
  const status = style === 'code' ? z.literal(200) : z.literal(true);
  return output instanceof z.ZodObject ? z.object({ status }).extend(output.shape) : z.object({ status });
}

/** The vendor's error envelope with our status code for the domain error. */
function failure(c: Context<AppEnv>, style: Style, err: DomainError): Response {
  const status = STATUS_OF_CODE[err.code] as ContentfulStatusCode;
  if (status >= 500 && err.code !== 'service_unavailable') c.get('logger').error({ err }, err.message);
  const fields = (err.details as { fields?: FieldIssue[] } | undefined)?.fields;
  const body: Record<string, unknown> = { status: style === 'code' ? status : false, message: messageOf(err, fields) };
  if (fields && fields.length > 0) body.errors = fields;
  return c.json(body, status);
}

/** The schema's generic message says which fields failed; a service's own message already does. */
function messageOf(err: DomainError, fields: FieldIssue[] | undefined): string {
  if (err.message !== INVALID || !fields?.length) return err.message;
  return `${INVALID}: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`;
}

function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ field: [...i.path.map(String), k].join('.'), message: 'not a field of this endpoint' }))
      : zodIssues(new z.ZodError([i])));
}

/** Authorization: Bearer, X-API-Key, then `token` (query or body). An `ak_…` token is an API key, anything else a JWT. */
function credentialOf(c: Context<AppEnv>, fieldToken: unknown): Credential {
  const authz = requestHeader(c, 'authorization');
  const apiKey = requestHeader(c, 'x-api-key');
  let token: string | undefined;
  if (authz !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    if (!m?.[1]) throw new UnauthorizedError('Authorization header must be "Bearer <token>"');
    token = m[1];
  } else if (apiKey) {
    token = apiKey;
  } else if (typeof fieldToken === 'string' && fieldToken !== '') {
    token = fieldToken;
  }
  if (token === undefined) throw new UnauthorizedError('Token required: send Authorization: Bearer <token> or the token parameter');
  return token.startsWith(API_KEY_PREFIX) ? { kind: 'api_key', key: token } : { kind: 'jwt', token };
}

/**
 * Query parameters and body fields as one object. A field given in both with different values is a 400
 * (which one was meant cannot be known); a form file is a 400 (no endpoint takes one).
 */
async function readFields(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const fields: Record<string, unknown> = { ...c.req.query() };
  const body = await readBody(c);
  for (const [key, value] of Object.entries(body)) {
    if (key in fields && fields[key] !== value) {
      throw new ValidationError('A field is both a query parameter and a body field', [{ field: key, message: 'given twice with different values' }]);
    }
    fields[key] = value;
  }
  return fields;
}

async function readBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return {};
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.includes('application/json')) {
    const text = await c.req.text();
    if (text.trim() === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ValidationError('The body is not valid JSON', [{ field: '(body)', message: 'malformed JSON' }]);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ValidationError('The body must be a JSON object', [{ field: '(body)', message: 'expected an object' }]);
    }
    return parsed as Record<string, unknown>;
  }
  if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
    const form = await c.req.parseBody({ all: true });
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(form)) {
      if (typeof value !== 'string') throw new ValidationError('A form field is not text', [{ field: key, message: 'files and repeated fields are not accepted' }]);
      out[key] = value;
    }
    return out;
  }
  const text = await c.req.text();
  if (text.trim() !== '') throw new ValidationError('Unsupported body', [{ field: '(body)', message: 'send JSON, application/x-www-form-urlencoded or multipart/form-data' }]);
  return {};
}

/** Field schemas: form values are text, JSON ones typed; `null` means "not given" (the vendor's own examples send it so). */
export const f = {
  text: (max = 200) => z.string().trim().min(1).max(max),
  phone: () => z.string().trim().min(3).max(32),
  /** An integer as a number or as digits. */
  int: (min: number, max: number) =>
    z.union([z.number(), z.string().trim().regex(/^-?\d+$/, 'must be an integer').transform(Number)]).pipe(z.number().int().min(min).max(max)),
  /** An id of ours: text, or a number the vendor's clients send (our ids are strings). */
  id: () => z.union([z.string().trim().min(1).max(64), z.number().int().nonnegative().transform(String)]),
  /** "0" or "1" (0 / 1 / false / true in JSON). */
  flag: () => z.union([z.enum(['0', '1']), z.literal(0), z.literal(1), z.boolean()]).transform((v) => (v === '1' || v === 1 || v === true ? '1' : '0')),
  /** Optional; `null` is the same as absent. */
  opt: <T extends z.ZodType>(schema: T) => schema.nullish().transform((v): z.output<T> | undefined => v ?? undefined),
  /** An array; in a form, its JSON text. */
  list: <T extends z.ZodType>(item: T, max: number) =>
    z.preprocess((v) => (typeof v === 'string' ? parseJson(v) : v), z.array(item).max(max, `at most ${max}`)),
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Refuses, in one 400 naming every one, the fields given a value our model cannot carry out: each entry is
 * [field, whether it asks for something, why it cannot be done].
 */
export function refuse(entries: ReadonlyArray<readonly [string, boolean, string]>): void {
  const issues = entries.filter(([, asked]) => asked).map(([field, , why]) => ({ field, message: why }));
  if (issues.length > 0) throw new ValidationError(`Switchboard cannot do what ${issues.map((i) => i.field).join(', ')} ${issues.length === 1 ? 'asks' : 'ask'}`, issues);
}

/** Runs `fn`; a 400 it raises names the vendor's fields (`renames`: our field → theirs). */
export async function inVendorFields<T>(renames: Record<string, string>, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const fields = ((err.details as { fields?: FieldIssue[] } | undefined)?.fields ?? []).map((i) => ({ ...i, field: renames[i.field] ?? i.field }));
    throw new ValidationError(err.message, fields);
  }
}
