#!/usr/bin/env node
// Builds the web console (src/console): its TypeScript, compiled by tsc with the DOM library into plain ES
// modules, and its static files (HTML, CSS), into dist/console or the folder given as the first argument.
// `npm run build` and `npm start`'s build-if-stale run it; the browser tests build into a temp folder.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const STATIC = /\.(html|css|svg)$/;
const source = 'src/console';
const out = resolve(process.argv[2] ?? 'dist/console');

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', join(source, 'tsconfig.json'), '--outDir', out], { stdio: 'inherit' });
mkdirSync(out, { recursive: true });
for (const name of readdirSync(source)) if (STATIC.test(name)) copyFileSync(join(source, name), join(out, name));
// What build-if-stale compares src/console with.
writeFileSync(join(out, '.built'), new Date().toISOString());
