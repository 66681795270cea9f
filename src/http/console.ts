/**
 * /console/: the web console, a single page (src/console, built into dist/console by `npm run build`)
 * served by the API itself from local files, with a Content-Security-Policy that allows only this origin.
 * It talks to /api/v1 like any client, with the same credentials and permissions.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from './context.ts';
import { matchesEtag, requestHeader } from './request-headers.ts';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

/** Nested module paths of the build (views/calls.js); no dot segments, no dotfiles. */
const ASSET = /^(?:[a-z0-9][a-z0-9-]*\/)*[a-z0-9][a-z0-9-]*\.(js|css|svg)$/;

/**
 * Only this origin: scripts, styles, API calls and media. `blob:` for media only: with an API key (which
 * never goes into a URL) the page fetches a recording or greeting with its header and plays the bytes.
 */
export const CONSOLE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "media-src 'self' blob:", "connect-src 'self'",
  "font-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** dist/console of this checkout: ../../dist/console from src/http (tsx) and from dist/http (compiled) alike. */
export function defaultConsoleDir(): string {
  return fileURLToPath(new URL('../../dist/console/', import.meta.url));
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Switchboard console</title></head>
<body><h1>The web console is not built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>, which builds what changed).</p></body></html>`;

/** Serves the console from `dir`: files are read when they change (mtime), revalidated by ETag. */
export function registerConsole(app: OpenAPIHono<AppEnv>, dir: string): void {
  const cache = new Map<string, { mtimeMs: number; body: Buffer; etag: string }>();

  const load = async (file: string) => {
    const path = `${dir.replace(/\/$/, '')}/${file}`;
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return null;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === info.mtimeMs) return hit;
    const body = await readFile(path);
    const entry = { mtimeMs: info.mtimeMs, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    cache.set(file, entry);
    return entry;
  };

  const serve = async (c: Context<AppEnv>, file: string) => {
    const entry = await load(file);
    if (!entry) {
      if (file !== 'index.html') return c.notFound();
      return c.html(NOT_BUILT, 503, { ...SECURITY_HEADERS, 'cache-control': 'no-store' });
    }
    // Names carry no content hash: the browser keeps a copy but asks whether it is still current.
    const headers = { ...SECURITY_HEADERS, etag: entry.etag, 'cache-control': 'no-cache' };
    if (matchesEtag(requestHeader(c, 'if-none-match'), entry.etag)) return c.body(null, 304, headers);
    const type = TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
    return c.body(new Uint8Array(entry.body), 200, { ...headers, 'content-type': type });
  };

  app.get('/console', (c) => c.redirect('/console/', 301));
  app.get('/console/', (c) => serve(c, 'index.html'));
  app.get('/console/*', (c) => {
    const file = c.req.path.slice('/console/'.length);
    return ASSET.test(file) ? serve(c, file) : c.notFound();
  });
}
