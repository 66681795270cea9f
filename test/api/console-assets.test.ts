import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';

let api: AsyncTestApi;
let dir: string;
afterEach(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A console build as scripts/build-console.mjs lays it out. */
function build(): string {
  dir = mkdtempSync(join(tmpdir(), 'sb-console-assets-'));
  mkdirSync(join(dir, 'views'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title><script type="module" src="/console/main.js"></script>');
  writeFileSync(join(dir, 'main.js'), 'import "./views/live.js";');
  writeFileSync(join(dir, 'views', 'live.js'), 'export {};');
  writeFileSync(join(dir, 'console.css'), 'body{}');
  writeFileSync(join(dir, '.built'), 'stamp');
  return dir;
}

describe('/console/', () => {
  it('serves the page with a CSP of its own origin, and its files with their types, revalidated by ETag', async () => {
    api = await openTestApi({}, { CONSOLE_DIR: build() });
    const page = await api.app.request('/console/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe|\*|https?:/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-cache');

    const js = await api.app.request('/console/views/live.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const css = await api.app.request('/console/console.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const etag = css.headers.get('etag')!;
    const again = await api.app.request('/console/console.css', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);

    const moved = await api.app.request('/console');
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe('/console/');
  });

  it('serves nothing outside the build: dotfiles, other types, traversal are 404', async () => {
    api = await openTestApi({}, { CONSOLE_DIR: build() });
    for (const path of ['/console/.built', '/console/index.html.bak', '/console/../package.json', '/console/%2e%2e/package.json', '/console/views/../../x.js', '/console/missing.js']) {
      expect((await api.app.request(path)).status, path).toBe(404);
    }
  });

  it('says how to build it when it is not built', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-console-none-'));
    api = await openTestApi({}, { CONSOLE_DIR: join(dir, 'nothing') });
    const page = await api.app.request('/console/');
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('npm run build');
  });
});
