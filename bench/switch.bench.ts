/**
 * `npm run bench -- switch`: the real FreeSWITCH 1.10 driven by SIPp, the same IVR call two ways,
 * rungs of rising call rates interleaved between them:
 *  (a) controller: a DID routed (through the public API) to an IVR: the dialplan hands the call to
 *      the compiled controller (`socket … full`, the product's sync socket), which answers, plays a 1.65 s greeting, waits
 *      1 s for a key, plays the (20 ms) timeout prompt and hangs up;
 *  (b) native: a bench-only extension in the copy's dialplan running the same apps by itself;
 *  (c) floor: the product's DID apps (`sched_hangup`, `socket … full`) handing the call to
 *      bench/switch/floor-server.ts, which writes `connect`, then on its reply the four commands at once
 *      (as the controller sends them) and does nothing else: what the `socket` app itself costs the switch, the bound for any outbound-socket controller.
 * Per rung: INVITE → 200 OK p50/p99 (SIPp rtd), failed calls, FreeSWITCH CPU ms per call and the
 * controller's (utime+stime of each process from /proc, every thread). A target stops after its first
 * rung with a failed call or p99 ≥ 200 ms.
 * Everything runs in a private network namespace (`ip netns`, as root), so it never meets another
 * FreeSWITCH on this machine; without it (not root) it falls back to the host's 127.0.0.1 and says so.
 * Knobs: BENCH_SWITCH_RATES (calls/s, default 20,40,…,200), BENCH_SWITCH_RUNG_S (default 10),
 * BENCH_SWITCH_TARGETS (default controller,native,floor), BENCH_SWITCH_CONTROLLER_DIR=<another checkout>
 * (its controller instead of this one's, e.g. a `git worktree` with a change), BENCH_SWITCH_SOCKET_ARGS
 * (the socket app's arguments in the bench's dialplan copy, default the product's `127.0.0.1:8084 full`),
 * BENCH_SWITCH_LAYOUT=dedicated (FreeSWITCH alone on CPU 0, the controller and SIPp on CPU 1: the switch
 * on a host of its own, as deployed), BENCH_SWITCH_KEEP=1 (keep the temp dir: FreeSWITCH's debug log, SIPp's traces), BENCH_SWITCH_PCAP=1
 * (tcpdump SIP and the controller's ESL port into <temp>/sip-esl.pcap during the rungs; with KEEP=1),
 * BENCH_SWITCH_CPU_PROF=<dir> (a V8 CPU profile of the controller, written when it stops).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileForBench, type CompiledEntries } from './compiled.ts';
import { printTable } from './table.ts';
import type { DriverConfig, RungResult, Target } from './switch/types.ts';
import { FS_PREFIX } from './switch/freeswitch.ts';
import { runDriver } from './switch/run-driver.ts';

const P99_LIMIT_MS = 200;
const DEFAULT_RATES = [20, 40, 60, 80, 100, 120, 140, 160, 180, 200];

function knobs(): { rates: number[]; rungSeconds: number; targets: Target[] } {
  const rates = (process.env.BENCH_SWITCH_RATES ?? '').split(',').map(Number).filter((n) => n > 0);
  const targets = (process.env.BENCH_SWITCH_TARGETS ?? 'controller,native,floor').split(',').filter((t): t is Target => t === 'controller' || t === 'native' || t === 'floor');
  return { rates: rates.length ? rates : DEFAULT_RATES, rungSeconds: Number(process.env.BENCH_SWITCH_RUNG_S ?? 10) || 10, targets };
}

export async function benchSwitch(compiled: CompiledEntries): Promise<void> {
  const missing = [`${FS_PREFIX}/bin/freeswitch`, `${FS_PREFIX}/bin/fs_cli`].filter((f) => !existsSync(f));
  if (spawnSync('sipp', ['-v']).error) missing.push('sipp');
  if (missing.length) {
    process.stdout.write(`\n### Switch\n\nskipped: ${missing.join(', ')} not installed (see /work/shared/freeswitch/README.md)\n`);
    return;
  }
  const { rates, rungSeconds, targets } = knobs();
  const otherDir = process.env.BENCH_SWITCH_CONTROLLER_DIR;
  const controllerEntries = otherDir ? compileForBench(otherDir) : compiled;
  const layout = benchLayout();
  const work = mkdtempSync(join(tmpdir(), 'sb-switch-bench-'));
  let run: { results: RungResult[]; ns: string | undefined } = { results: [], ns: undefined };
  try {
    const cfg: DriverConfig = {
      work,
      confDir: resolve('freeswitch-conf'),
      xmlCurlToken: randomBytes(16).toString('hex'),
      controllerArgs: controllerEntries.entry('src/main.ts'),
      controllerCwd: resolve(otherDir ?? '.'),
      didDialled: '918065978001',
      nativeNumber: '9999',
      floorNumber: '9998',
      floorArgs: compiled.entry('bench/switch/floor-server.ts'),
      rates,
      rungSeconds,
      targets,
      p99LimitMs: P99_LIMIT_MS,
      socketArgs: process.env.BENCH_SWITCH_SOCKET_ARGS,
      pcap: process.env.BENCH_SWITCH_PCAP === '1',
      layout,
    };
    run = await runDriver<RungResult>({ label: 'switch', argv: [process.execPath, ...compiled.entry('bench/switch/driver.ts')], envName: 'BENCH_SWITCH_DRIVER', config: cfg });
  } finally {
    if (process.env.BENCH_SWITCH_KEEP === '1') process.stderr.write(`switch bench: kept ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
  const { results, ns } = run;
  print(results, { rungSeconds, ns, otherDir, layout });
}

/** BENCH_SWITCH_LAYOUT=dedicated pins FreeSWITCH to CPU 0 and the rest to CPU 1 (needs 2 CPUs and taskset). */
function benchLayout(): 'shared' | 'dedicated' {
  if (process.env.BENCH_SWITCH_LAYOUT !== 'dedicated') return 'shared';
  if (availableParallelism() < 2 || spawnSync('taskset', ['-c', '0', 'true']).status !== 0) {
    process.stderr.write('switch bench: BENCH_SWITCH_LAYOUT=dedicated needs 2 CPUs and taskset; running shared\n');
    return 'shared';
  }
  return 'dedicated';
}

function print(results: RungResult[], o: { rungSeconds: number; ns: string | undefined; otherDir: string | undefined; layout: 'shared' | 'dedicated' }): void {
  const name = (t: Target): string =>
    t === 'controller' ? `controller (DID → IVR${o.otherDir ? `, ${o.otherDir}` : ''})` : t === 'floor' ? 'floor (socket, no logic)' : 'native (dialplan)';
  printTable(
    `Switch: real FreeSWITCH 1.10.12 + SIPp, IVR call (answer, 1.65 s greeting, 1 s timeout, hang up), ~${o.rungSeconds} s per rung, targets interleaved${o.ns ? ', own network namespace' : ', HOST loopback (no netns)'}, ${o.layout === 'dedicated' ? 'FreeSWITCH alone on CPU 0, controller + SIPp on CPU 1' : 'all processes on all CPUs'}`,
    ['target', 'rate /s', 'calls', 'failed', 'INVITE→200 p50 ms', 'INVITE→200 p99 ms', 'FS CPU ms/call', 'controller CPU ms/call'],
    results.map((r) => [name(r.target), r.rate, r.calls, r.failed, r.p50Ms, r.p99Ms, r.fsCpuMsPerCall, r.ctlCpuMsPerCall]),
  );
  const clean = (t: Target): number => Math.max(0, ...results.filter((r) => r.target === t && r.failed === 0 && r.p99Ms < P99_LIMIT_MS).map((r) => r.rate));
  const capped = (t: Target): boolean => {
    const rs = results.filter((r) => r.target === t);
    const last = rs[rs.length - 1];
    return last !== undefined && last.failed === 0 && last.p99Ms < P99_LIMIT_MS;
  };
  const ctlClean = clean('controller');
  const natClean = clean('native');
  const against = (t: Target) =>
    results
      .filter((r) => r.target === t)
      .flatMap((c) => {
        const n = results.find((r) => r.target === 'native' && r.rate === c.rate);
        return n ? [{ rate: c.rate, ratio: c.fsCpuMsPerCall / n.fsCpuMsPerCall, p50: c.p50Ms / n.p50Ms }] : [];
      });
  const common = against('controller');
  const floorCommon = against('floor');
  if (common.length || floorCommon.length) {
    printTable(
      'Switch: controller ÷ native and floor ÷ native at the rates both ran',
      ['target', 'rate /s', 'FS CPU per call ratio', 'INVITE→200 p50 ratio'],
      [...common.map((c) => [name('controller'), c.rate, c.ratio, c.p50]), ...floorCommon.map((c) => [name('floor'), c.rate, c.ratio, c.p50])],
    );
  }
  const meanRatio = common.length ? common.reduce((a, c) => a + c.ratio, 0) / common.length : Number.NaN;
  const cleanRatio = natClean > 0 ? ctlClean / natClean : Number.NaN;
  const floorRan = results.some((r) => r.target === 'floor');
  const floorClean = clean('floor');
  const floorMean = floorCommon.length ? floorCommon.reduce((a, c) => a + c.ratio, 0) / floorCommon.length : Number.NaN;
  const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  process.stdout.write(
    `highest clean rate (0 failed, p99 INVITE→200 < ${P99_LIMIT_MS} ms): controller ${ctlClean}/s${capped('controller') ? ' (still clean at the last rung run)' : ''}, ` +
      `native ${natClean}/s${capped('native') ? ' (still clean at the last rung run: a lower bound)' : ''}; ratio ${cleanRatio.toFixed(2)}\n` +
      `target: clean-rate ratio >= 0.8 → ${cleanRatio.toFixed(2)}: ${verdict(cleanRatio >= 0.8)}; ` +
      `FS CPU per call through the controller <= 1.3× native → mean ${meanRatio.toFixed(2)}× over ${common.length} common rates: ${verdict(meanRatio <= 1.3)}\n` +
      (floorRan
        ? `floor (the least any outbound-socket controller costs the switch): clean ${floorClean}/s${capped('floor') ? ' (still clean at the last rung run)' : ''}, ` +
          `ratio to native ${natClean > 0 ? (floorClean / natClean).toFixed(2) : 'n/a'}; FS CPU per call mean ${floorMean.toFixed(2)}× native; the controller reaches ${floorClean > 0 ? (ctlClean / floorClean).toFixed(2) : 'n/a'} of the floor's clean rate\n`
        : ''),
  );
}
