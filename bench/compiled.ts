/**
 * The benchmarks' servers run what users run: JavaScript compiled by tsc (as `npm start` runs
 * dist/), not TypeScript under tsx, whose esbuild `keepNames` adds a defineProperty per closure,
 * with the Node flags of `npm start` (the Dockerfile's CMD has the same).
 * compileForBench() compiles src/, bench/ and the test helpers into .bench-dist/ (incremental);
 * `entry('bench/x.ts')` is then the node arguments that run the compiled file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';

const OUT = '.bench-dist';

export interface CompiledEntries {
  entry(tsPath: string): string[];
}

/**
 * Compiles the checkout at `root` (default: this one) into `<root>/.bench-dist/`. Another checkout
 * (BENCH_AB_DIR, e.g. a `git worktree` of main) is compiled with this checkout's tsc and run with
 * this checkout's Node flags (or `nodeFlags`), so the two differ only in their code (or only in the flags).
 */
export function compileForBench(root = '.', nodeFlags: string[] = productNodeFlags()): CompiledEntries {
  process.stderr.write(`compiling ${root === '.' ? '' : `${root} `}for the benchmark (tsc -p tsconfig.bench.json)…\n`);
  execFileSync(process.execPath, [resolve('node_modules/typescript/bin/tsc'), '-p', resolve(root, 'tsconfig.bench.json')], { stdio: 'inherit' });
  // src/db finds its migrations at ../../db from its own file: give the compiled tree the same neighbour.
  const out = resolve(root, OUT);
  if (!existsSync(`${out}/db`)) symlinkSync(resolve(root, 'db'), `${out}/db`, 'dir');
  return { entry: (tsPath) => [...nodeFlags, `${root === '.' ? OUT : out}/${tsPath.replace(/\.ts$/, '.js')}`] };
}

/** The flags in `"start": "node <flags> dist/main.js"`. */
export function productNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts?: { start?: string } };
  const words = (pkg.scripts?.start ?? '').split(/\s+/);
  if (words[0] !== 'node') return [];
  const flags: string[] = [];
  for (const w of words.slice(1)) {
    if (!w.startsWith('--')) break;
    flags.push(w);
  }
  return flags;
}
