import type { Context, Handler, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import type { z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { ValidationError, summarizeIssues, type FieldIssue } from '../../../domain/errors.ts';

/**
 * What the vendor adapters share: reading a body the way the vendors' clients send it (JSON, or a form with
 * PHP-style `option[]` arrays, or nothing), and checking it against the vendor's field list, so that a field
 * we do not know is refused by name instead of dropped.
 */

const JSON_RE = /^application\/([\w.-]+\+)?json$/i;
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

export interface BodyRules {
  /** Fields that are lists: a form's `name[]`, `name[0]` or repeated `name` become one array; a single value a one-element array. */
  arrays?: readonly string[];
  /** Fields that are numbers: a numeric string (all a form can send) becomes that number; lists too. */
  numbers?: readonly string[];
}

/** The request body as an object: JSON, a form (urlencoded or multipart) or none at all (`{}`). */
export async function readBody(c: Context<AppEnv>, rules: BodyRules = {}): Promise<Record<string, unknown>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const text = FORM_TYPES.has(type) ? null : await c.req.text();
  let raw: Record<string, unknown>;
  if (text !== null) {
    if (text.trim() === '') raw = {};
    else if (type !== '' && !JSON_RE.test(type)) throw new HTTPException(415, { message: `Unsupported content type ${type}: send application/json or a form` });
    else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ValidationError('Malformed JSON in request body', [{ field: '(body)', message: 'is not valid JSON' }]);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new ValidationError('The request body must be a JSON object', [{ field: '(body)', message: 'must be a JSON object' }]);
      }
      raw = parsed as Record<string, unknown>;
    }
  } else {
    raw = Object.create(null) as Record<string, unknown>;
    (await c.req.formData()).forEach((value, key) => {
      raw[key] = Object.hasOwn(raw, key) ? [raw[key], value].flat() : value;
    });
  }
  return normalize(raw, rules);
}

/** `a[]` and `a[3]` keys folded into `a` (in order), list fields made lists, numeric strings of number fields made numbers. */
function normalize(raw: Record<string, unknown>, rules: BodyRules): Record<string, unknown> {
  // No prototype: a "__proto__" key is a field like any other (and refused as unknown).
  const out = Object.create(null) as Record<string, unknown>;
  const indexed = new Map<string, { index: number; value: unknown }[]>();
  for (const [key, value] of Object.entries(raw)) {
    const m = /^(\w+)\[(\d*)\]$/.exec(key);
    if (!m) {
      out[key] = value;
      continue;
    }
    const list = indexed.get(m[1]!) ?? [];
    for (const v of [value].flat()) list.push({ index: m[2] === '' ? Number.MAX_SAFE_INTEGER : Number(m[2]), value: v });
    indexed.set(m[1]!, list);
  }
  for (const [key, list] of indexed) {
    const values = list.map((e, i) => ({ ...e, i })).sort((a, b) => a.index - b.index || a.i - b.i).map((e) => e.value);
    out[key] = Object.hasOwn(out, key) ? [out[key], ...values].flat() : values;
  }
  for (const key of rules.arrays ?? []) if (Object.hasOwn(out, key) && !Array.isArray(out[key])) out[key] = [out[key]];
  const toNumber = (v: unknown) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v);
  for (const key of rules.numbers ?? []) {
    if (!Object.hasOwn(out, key)) continue;
    out[key] = Array.isArray(out[key]) ? (out[key] as unknown[]).map(toNumber) : toNumber(out[key]);
  }
  return out;
}

/** A zod issue's path in the vendors' own notation: `option[0]`, `dial_ext_list[1].type`. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') || '(body)';
}

/** The message of a missing mandatory field (an envelope may tell it apart, as Yeastar's `validation_type: required`). */
export const REQUIRED = 'is required';

/**
 * Checks `raw` against the vendor's schema (an object schema): every failing field and every field the vendor's
 * documents do not have is one issue of a single 400.
 */
export function parseVendor<S extends z.ZodObject>(schema: S, raw: Record<string, unknown>): z.infer<S> {
  const issues: FieldIssue[] = Object.keys(raw)
    .filter((k) => !Object.hasOwn(schema.shape, k))
    .map((k) => ({ field: k, message: 'is not a field of this request: nothing here can hold it' }));
  const result = schema.safeParse(raw);
  if (result.success && issues.length === 0) return result.data;
  for (const i of result.error?.issues ?? []) {
    const missing = i.path.length === 1 && raw[i.path[0] as string] === undefined;
    issues.push({ field: fieldOf(i.path), message: missing ? REQUIRED : i.message });
  }
  throw new ValidationError(`Invalid request: ${summarizeIssues(issues)}`, issues);
}

/**
 * Registers a route's OpenAPI description and its handler. The adapters read their bodies themselves (forms with
 * `name[]` arrays, bodiless requests answered with the missing fields), so the route declares its body for the
 * document only.
 */
export function vendorRoute(app: OpenAPIHono<AppEnv>, route: RouteConfig, handler: Handler<AppEnv>): void {
  const { middleware, ...doc } = route;
  app.openAPIRegistry.registerPath(doc);
  const method = route.method.toUpperCase();
  const path = route.path.replaceAll(/\/{(.+?)}/g, '/:$1');
  // The route's checks (permissions) run first, in order: Hono runs every handler of a method and path in turn.
  for (const check of (middleware === undefined ? [] : [middleware].flat()) as MiddlewareHandler<AppEnv>[]) app.on(method, path, check);
  app.on(method, path, handler);
}
