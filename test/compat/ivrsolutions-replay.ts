/** Sends a seed case to the adapter as the document writes it, and compares an answer with a documented one. */
import { expect } from 'vitest';
import { TOKEN_PLACEHOLDERS, type SeedCase } from './ivrsolutions-seed-examples.ts';
import type { World } from './ivrsolutions-world.ts';

export const PREFIX = '/compat/ivrsolutions';

export type Json = Record<string, any>;

/** The document's token placeholders become `token`, wherever they are (header, query, body). */
function withToken<T>(value: T, token: string): T {
  let text = JSON.stringify(value);
  for (const p of TOKEN_PLACEHOLDERS) text = text.split(p).join(token);
  return JSON.parse(text) as T;
}

export async function replay(w: World, c: SeedCase): Promise<{ status: number; body: Json }> {
  const token = c.asAgent ? w.agentToken : w.key;
  const query = c.query ? withToken(c.query, token) : {};
  const headers: Record<string, string> = c.headers ? withToken(c.headers, token) : {};
  let body: FormData | string | undefined;
  if (c.multipart) {
    const form = new FormData();
    for (const [k, v] of Object.entries(withToken(c.multipart, token))) form.set(k, v);
    body = form;
  } else if (c.json) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(withToken(c.json, token));
  }
  // The document's GET examples carry the token in the query, its curl example in the header; the JSON
  // examples without either send it as the document says the platform takes it: `Authorization: Bearer`.
  const sendsToken = 'token' in query || 'Authorization' in headers || (c.json !== undefined && 'token' in c.json);
  if (!sendsToken) headers.authorization = `Bearer ${token}`;
  const qs = new URLSearchParams(query).toString();
  const res = await w.h.api.app.request(`${PREFIX}${c.path}${qs ? `?${qs}` : ''}`, { method: c.method, headers, body });
  return { status: res.status, body: (await res.json()) as Json };
}

/** Vendor ids our answers give as strings: our ids are text (README). */
const ID_KEYS = new Set(['id', 'logid', 'recordid', 'agent_id', 'dialer_id', 'list_id', 'call_id']);

/**
 * `actual` has exactly the documented keys, each of the documented type (an id documented as a number is
 * our string id; a key in `nullable` may be null), recursively; a documented non-empty array must not come
 * back empty, and every element has the shape of the documented first one.
 */
export function expectShape(actual: unknown, documented: unknown, nullable: ReadonlySet<string>, path = '$', key = ''): void {
  if (Array.isArray(documented)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    const items = actual as unknown[];
    if (documented.length > 0) {
      expect(items.length, `${path} is not empty`).toBeGreaterThan(0);
      items.forEach((item, i) => expectShape(item, documented[0], nullable, `${path}[${i}]`, key));
    }
    return;
  }
  if (documented !== null && typeof documented === 'object') {
    expect(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${path} is an object`).toBe(true);
    expect(Object.keys(actual as object).sort(), `${path} keys`).toEqual(Object.keys(documented).sort());
    for (const [k, v] of Object.entries(documented)) expectShape((actual as Json)[k], v, nullable, `${path}.${k}`, k);
    return;
  }
  if (actual === null && nullable.has(key)) return;
  const want = typeof documented === 'number' && ID_KEYS.has(key) ? 'string' : typeof documented;
  expect(typeof actual, `${path} type`).toBe(want);
}

/** The envelope's values: `status`, and `message` / a scalar `data` where the document shows them. */
export function expectEnvelope(actual: Json, documented: Json): void {
  expect(actual.status).toBe(documented.status);
  if ('message' in documented) expect(actual.message).toBe(documented.message);
  if (typeof documented.data === 'string') expect(actual.data).toBe(documented.data);
}
