#!/usr/bin/env node
// `npm start` runs the compiled product (dist/); this rebuilds it first when any file under src/ is
// newer than the last build, so a fresh clone or an edit needs no separate build command. The server
// (tsconfig.build.json) and the web console (src/console, its own tsconfig with the DOM library) are
// compared and built separately: an edit to one does not rebuild the other.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
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

// Two starts at once (two instances, or the SQLite and PostgreSQL smoke tests) must not build into dist/
// together: the second waits for the first's build, then finds it fresh. The lock file holds the builder's
// pid; one whose process is gone (killed mid-build) is taken over.
const LOCK = join('dist', '.build-lock');
mkdirSync('dist', { recursive: true });
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};
for (;;) {
  try {
    const fd = openSync(LOCK, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    break;
  } catch (e) {
    if (e.code !== 'EEXIST') throw e;
    let holder;
    try {
      holder = Number(readFileSync(LOCK, 'utf8'));
    } catch {
      continue; // released meanwhile
    }
    if (holder > 0 && !alive(holder)) rmSync(LOCK, { force: true });
    else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}
process.on('exit', () => rmSync(LOCK, { force: true }));

const server = Math.max(newest('src', CONSOLE), statSync('tsconfig.json').mtimeMs, statSync('tsconfig.build.json').mtimeMs);
if (server > builtAt('dist/.tsbuildinfo')) {
  process.stderr.write('building dist/ (tsc -p tsconfig.build.json)…\n');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
if (newest(CONSOLE) > builtAt('dist/console/.built')) {
  process.stderr.write('building dist/console/ (the web console)…\n');
  execFileSync(process.execPath, ['scripts/build-console.mjs'], { stdio: 'inherit' });
}
