#!/usr/bin/env node
// `npm start` runs the compiled product (dist/); this rebuilds it first when any file under src/ is
// newer than the last build, so a fresh clone or an edit needs no separate build command. The server
// (tsconfig.build.json) and the web console (src/console, its own tsconfig with the DOM library) are
// compared and built separately: an edit to one does not rebuild the other.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const CONSOLE = join('src', 'console');

const newest = (dir, skip) =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = join(dir, e.name);
    if (p === skip) return m;
    return Math.max(m, e.isDirectory() ? newest(p, skip) : statSync(p).mtimeMs);
  }, 0);

const builtAt = (file) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0; // never built
  }
};

const server = Math.max(newest('src', CONSOLE), statSync('tsconfig.json').mtimeMs, statSync('tsconfig.build.json').mtimeMs);
if (server > builtAt('dist/.tsbuildinfo')) {
  process.stderr.write('building dist/ (tsc -p tsconfig.build.json)…\n');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
if (newest(CONSOLE) > builtAt('dist/console/.built')) {
  process.stderr.write('building dist/console/ (the web console)…\n');
  execFileSync(process.execPath, ['scripts/build-console.mjs'], { stdio: 'inherit' });
}
