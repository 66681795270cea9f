import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * One request header, lower-case name. Under @hono/node-server the Node request's headers are
 * already parsed into a plain object (c.env.incoming); reading them there spares building a
 * fetch Headers object per request, which c.req.header() does on first use. Elsewhere (tests,
 * other runtimes) it is c.req.header().
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) return c.req.header(name);
  const v = incoming.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** If-None-Match against a weak ETag (RFC 9110 weak comparison): a list of tags, or `*`. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch === etag) return true;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === opaque;
  });
}
