/**
 * `npm run bench -- switch-scale`: capacity with two controller instances sharing one database against
 * one instance on SQLite, same run, real FreeSWITCH 1.10 + SIPp (issue 14). The call is the switch
 * bench's IVR call (answer, 1.65 s greeting, 1 s timeout, hang up). Rungs of rising call rates, targets
 * interleaved: `one` (one controller, SQLite) and `two` (two controllers, each taking half the calls,
 * one shared database: PostgreSQL, a throwaway cluster from Debian's binaries with fsync on, started in the
 * bench's namespace; or the server at BENCH_SWITCH_SCALE_DATABASE_URL; or with BENCH_SWITCH_SCALE_DATABASE=sqlite
 * (or no PostgreSQL installed) one SQLite file). Per rung: failed calls, INVITE→200 p50/p99, FreeSWITCH CPU,
 * the controllers' CPU (summed) and PostgreSQL's CPU per call; then each target's highest clean rate
 * (0 failed, p99 < 200 ms).
 * Knobs: BENCH_SWITCH_SCALE_RATES (default 20,40,…,160), BENCH_SWITCH_RUNG_S (10), BENCH_SWITCH_KEEP=1,
 * BENCH_SWITCH_SCALE_DATABASE (postgres | sqlite), BENCH_SWITCH_SCALE_DATABASE_URL, BENCH_SWITCH_SCALE_PG_STATEMENTS=1
 * (logs the statements the pair ran per call, from pg_stat_statements).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CompiledEntries } from './compiled.ts';
import { printTable } from './table.ts';
import { pgBin } from '../test/helpers/pg-cluster.ts';
import { FS_PREFIX } from './switch/freeswitch.ts';
import { runDriver } from './switch/run-driver.ts';
import type { ScaleDriverConfig, ScaleRungResult, ScaleTarget } from './switch/scale-types.ts';

const P99_LIMIT_MS = 200;

export async function benchSwitchScale(compiled: CompiledEntries): Promise<void> {
  const missing = [`${FS_PREFIX}/bin/freeswitch`, `${FS_PREFIX}/bin/fs_cli`].filter((f) => !existsSync(f));
  if (spawnSync('sipp', ['-v']).error) missing.push('sipp');
  if (missing.length) {
    process.stdout.write(`\n### Switch: two controllers\n\nskipped: ${missing.join(', ')} not installed (see /work/shared/freeswitch/README.md)\n`);
    return;
  }
  const rates = (process.env.BENCH_SWITCH_SCALE_RATES ?? '20,40,60,80,100,120,140,160').split(',').map(Number).filter((n) => n > 0);
  const url = process.env.BENCH_SWITCH_SCALE_DATABASE_URL || undefined;
  const wanted = process.env.BENCH_SWITCH_SCALE_DATABASE ?? 'postgres';
  const twoDatabase: ScaleDriverConfig['twoDatabase'] = url ? { url } : wanted === 'postgres' && pgBin() ? 'postgres' : 'sqlite';
  if (!url && wanted === 'postgres' && twoDatabase === 'sqlite') process.stdout.write('\nswitch-scale: PostgreSQL is not installed (apt-get install postgresql): the pair shares one SQLite file\n');
  const work = mkdtempSync(join(tmpdir(), 'sb-switch-scale-'));
  let run: { results: ScaleRungResult[]; ns: string | undefined } = { results: [], ns: undefined };
  try {
    const config: ScaleDriverConfig = {
      work,
      confDir: resolve('freeswitch-conf'),
      xmlCurlToken: randomBytes(16).toString('hex'),
      controllerArgs: compiled.entry('src/main.ts'),
      controllerCwd: resolve('.'),
      rates,
      rungSeconds: Number(process.env.BENCH_SWITCH_RUNG_S ?? 10) || 10,
      p99LimitMs: P99_LIMIT_MS,
      twoDatabase,
      pgStatements: process.env.BENCH_SWITCH_SCALE_PG_STATEMENTS === '1',
    };
    run = await runDriver<ScaleRungResult>({ label: 'switch-scale', argv: [process.execPath, ...compiled.entry('bench/switch/scale-driver.ts')], envName: 'BENCH_SWITCH_SCALE_DRIVER', config });
  } finally {
    if (process.env.BENCH_SWITCH_KEEP === '1') process.stderr.write(`switch-scale bench: kept ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
  print(run.results, run.ns, twoDatabase === 'postgres' ? 'PostgreSQL' : twoDatabase === 'sqlite' ? 'one shared SQLite file' : 'the database at BENCH_SWITCH_SCALE_DATABASE_URL');
}

function print(results: ScaleRungResult[], ns: string | undefined, twoDb: string): void {
  const name = (t: ScaleTarget): string => (t === 'one' ? 'one controller (SQLite)' : `two controllers (${twoDb})`);
  printTable(
    `Switch: one controller against two sharing a database, real FreeSWITCH 1.10.12 + SIPp, IVR call${ns ? ', own network namespace' : ', HOST loopback (no netns)'}`,
    ['target', 'rate /s', 'calls', 'failed', 'INVITE→200 p50 ms', 'INVITE→200 p99 ms', 'FS CPU ms/call', 'controllers CPU ms/call', 'PostgreSQL CPU ms/call', "second instance's share"],
    results.map((r) => [name(r.target), r.rate, r.calls, r.failed, r.p50Ms, r.p99Ms, r.fsCpuMsPerCall, r.ctlCpuMsPerCall, r.dbCpuMsPerCall ?? '—', r.target === 'two' ? r.secondShare : '—']),
  );
  const clean = (t: ScaleTarget): number => Math.max(0, ...results.filter((r) => r.target === t && r.failed === 0 && r.p99Ms < P99_LIMIT_MS).map((r) => r.rate));
  const common = results
    .filter((r) => r.target === 'two')
    .flatMap((t) => {
      const o = results.find((r) => r.target === 'one' && r.rate === t.rate);
      const db = t.dbCpuMsPerCall ?? 0;
      return o ? [[t.rate, t.ctlCpuMsPerCall / o.ctlCpuMsPerCall, (t.ctlCpuMsPerCall + db) / o.ctlCpuMsPerCall, t.fsCpuMsPerCall / o.fsCpuMsPerCall] as (number | string)[]] : [];
    });
  if (common.length) {
    printTable('Switch: two ÷ one at the rates both ran (SQLite runs inside the one controller, so its CPU is in that figure)',
      ['rate /s', 'controllers CPU per call ratio', 'controllers + PostgreSQL CPU per call ratio', 'FS CPU per call ratio'], common);
  }
  process.stdout.write(`highest clean rate (0 failed, p99 INVITE→200 < ${P99_LIMIT_MS} ms): one ${clean('one')}/s, two ${clean('two')}/s\n`);
}
