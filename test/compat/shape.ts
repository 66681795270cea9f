import { expect } from 'vitest';

/** A JSON value's kind as a documented example shows it: null, array and integer told apart. */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export interface ShapeOptions {
  /** Keys the response may have beyond the example's (documented elsewhere); `'any'` = a superset is fine. */
  extraKeys?: readonly string[] | 'any';
  /** Keys whose documented example is null but whose type may be this kind too (e.g. a nullable string). */
  nullable?: Readonly<Record<string, string>>;
}

/**
 * Field by field: every key of the documented example is present with the same kind of value; objects and
 * the first element of arrays are compared the same way, down the tree. Values are not compared (ids and
 * timestamps differ); the tests compare the values that are deterministic on their own.
 */
export function expectShape(actual: unknown, documented: unknown, opts: ShapeOptions = {}, path = '$'): void {
  const want = kindOf(documented);
  const got = kindOf(actual);
  const allowed = new Set([want, ...(want === 'null' && opts.nullable?.[lastKey(path)] ? [opts.nullable[lastKey(path)]!] : [])]);
  if (want === 'integer') allowed.add('integer');
  expect(allowed.has(got), `${path}: documented ${want}, got ${got} (${JSON.stringify(actual)})`).toBe(true);
  if (want === 'array' && Array.isArray(documented) && Array.isArray(actual) && documented.length > 0) {
    expect(actual.length, `${path}: documented a non-empty array`).toBeGreaterThan(0);
    expectShape(actual[0], documented[0], opts, `${path}[0]`);
  }
  if (want === 'object' && got === 'object') {
    const doc = documented as Record<string, unknown>;
    const act = actual as Record<string, unknown>;
    for (const key of Object.keys(doc)) {
      expect(Object.hasOwn(act, key), `${path}.${key}: documented, missing`).toBe(true);
      expectShape(act[key], doc[key], opts, `${path}.${key}`);
    }
    if (opts.extraKeys !== 'any') {
      const extra = Object.keys(act).filter((k) => !Object.hasOwn(doc, k) && !(opts.extraKeys ?? []).includes(k));
      expect(extra, `${path}: keys the documentation does not have`).toEqual([]);
    }
  }
}

function lastKey(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}
