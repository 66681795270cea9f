import type { Context } from 'hono';
import type { AppEnv } from './context.ts';

/**
 * A finished response with plain-object headers, for hot reads. @hono/node-server writes such a
 * response straight to the socket; c.body() with several headers (or after c.header()) builds a
 * Headers object that then has to be converted back. Handlers returning a Response bypass the headers
 * prepared by middleware, so the request id is added here.
 */
export function plainResponse(c: Context<AppEnv>, status: number, body: Uint8Array<ArrayBuffer> | null, headers: Record<string, string>): Response {
  return new Response(body, { status, headers: { ...headers, 'x-request-id': c.get('requestId') } });
}
