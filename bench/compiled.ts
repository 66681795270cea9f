/**
 * The benchmarks' servers run what users run: JavaScript compiled by tsc (as `npm start` runs
 * dist/), not TypeScript under tsx, whose esbuild `keepNames` adds a defineProperty per closure.
 * The first call compiles src/, bench/ and the test helpers into .bench-dist/ (incremental);
 * `entry('bench/x.ts')` is then the node arguments that run the compiled file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';

const OUT = '.bench-dist';

export interface CompiledEntries {
  entry(tsPath: string): string[];
}

export function compileForBench(): CompiledEntries {
  process.stderr.write('compiling for the benchmark (tsc -p tsconfig.bench.json)…\n');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.bench.json'], { stdio: 'inherit' });
  // src/db finds its migrations at ../../db from its own file: give the compiled tree the same neighbour.
  if (!existsSync(`${OUT}/db`)) symlinkSync(resolve('db'), `${OUT}/db`, 'dir');
  return { entry: (tsPath) => ['--enable-source-maps', `${OUT}/${tsPath.replace(/\.ts$/, '.js')}`] };
}
