#!/usr/bin/env node
// `npm start` runs the compiled product (dist/); this rebuilds it first when any file under src/ is
// newer than the last build, so a fresh clone or an edit needs no separate build command.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);

let built = 0;
try {
  built = statSync('dist/.tsbuildinfo').mtimeMs;
} catch {
  // never built
}
const sources = Math.max(newest('src'), statSync('tsconfig.json').mtimeMs, statSync('tsconfig.build.json').mtimeMs);
if (sources > built) {
  process.stderr.write('building dist/ (tsc -p tsconfig.build.json)…\n');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
