/**
 * `npm run bench -- switch-bot`: AI calls at scale through the real FreeSWITCH 1.10. SIPp callers, each
 * playing a sweeping tone (every 20 ms frame different), reach an echo bot two ways, in interleaved rungs
 * of N concurrent calls:
 *  (a) bridge: a DID routed (through the public API) to an AI agent: the controller answers, starts
 *      `unicast` and runs its bot leg (Twilio dialect, PCMU 8 kHz, play-out paced by its 20 ms clock);
 *  (b) relay: a bench-only dialplan extension that answers and `unicast`s to a bare UDP↔WebSocket relay
 *      (raw frames over binary messages, no JSON, no base64, no pacing), in a process of its own.
 * tcpdump records the namespace's loopback; per call, the caller's frames and what FreeSWITCH sends back
 * are matched byte for byte. Reported per rung: calls, callers whose audio broke (a gap over 40 ms between
 * packets from FreeSWITCH, after the first second of echo), echo delay p50/p99 (caller frame sent → the
 * same frame back at the caller), CPU per stream-second of the process in the middle (controller or
 * relay) and of FreeSWITCH; then the highest clean N of each (every call up, every caller hears its echo,
 * no gap over 40 ms, p99 echo delay ≤ 60 ms) and the bridge ÷ relay CPU.
 * Knobs: BENCH_SWITCH_BOT_STREAMS (default 25,50,100,150,200,300), BENCH_SWITCH_BOT_TARGETS (default
 * bridge,relay), BENCH_SWITCH_BOT_RAMP (calls/s bringing a rung up, default 40), BENCH_SWITCH_BOT_OVERLAP_S
 * (seconds all calls are up together, default 6), BENCH_SWITCH_KEEP=1 (keep the temp dir and captures).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CompiledEntries } from './compiled.ts';
import { printTable } from './table.ts';
import { runDriver } from './switch/run-driver.ts';
import { FS_PREFIX } from './switch/freeswitch.ts';
import type { BotDriverConfig, BotRungResult, BotTarget } from './switch/bot-types.ts';

const GAP_LIMIT_MS = 40;
const DELAY_LIMIT_MS = 60;

export async function benchSwitchBot(compiled: CompiledEntries): Promise<void> {
  const missing = [`${FS_PREFIX}/bin/freeswitch`, `${FS_PREFIX}/bin/fs_cli`].filter((f) => !existsSync(f));
  if (spawnSync('sipp', ['-v']).error) missing.push('sipp');
  if (spawnSync('tcpdump', ['--version']).error) missing.push('tcpdump');
  if (missing.length) {
    process.stdout.write(`\n### Switch: AI calls\n\nskipped: ${missing.join(', ')} not installed (see /work/shared/freeswitch/README.md)\n`);
    return;
  }
  const streams = (process.env.BENCH_SWITCH_BOT_STREAMS ?? '25,50,100,150,200,300').split(',').map(Number).filter((n) => n > 0);
  const targets = (process.env.BENCH_SWITCH_BOT_TARGETS ?? 'bridge,relay').split(',').filter((t): t is BotTarget => t === 'bridge' || t === 'relay');
  const work = mkdtempSync(join(tmpdir(), 'sb-switch-bot-bench-'));
  let run: { results: BotRungResult[]; ns: string | undefined } = { results: [], ns: undefined };
  try {
    const cfg: BotDriverConfig = {
      work,
      confDir: resolve('freeswitch-conf'),
      xmlCurlToken: randomBytes(16).toString('hex'),
      controllerArgs: compiled.entry('src/main.ts'),
      controllerCwd: resolve('.'),
      relayArgs: compiled.entry('bench/switch/relay.ts'),
      didDialled: '918065978010',
      streams,
      targets,
      rampPerS: Number(process.env.BENCH_SWITCH_BOT_RAMP ?? 40) || 40,
      overlapMs: (Number(process.env.BENCH_SWITCH_BOT_OVERLAP_S ?? 6) || 6) * 1000,
      minCallMs: 8000,
      gapLimitMs: GAP_LIMIT_MS,
      delayLimitMs: DELAY_LIMIT_MS,
    };
    run = await runDriver<BotRungResult>({ label: 'switch-bot', argv: [process.execPath, ...compiled.entry('bench/switch/bot-driver.ts')], envName: 'BENCH_SWITCH_BOT_DRIVER', config: cfg });
  } finally {
    if (process.env.BENCH_SWITCH_KEEP === '1') process.stderr.write(`switch-bot bench: kept ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
  const { results, ns } = run;
  print(results, ns);
}

function print(results: BotRungResult[], ns: string | undefined): void {
  const name = (t: BotTarget): string => (t === 'bridge' ? 'bridge (DID → AI agent)' : 'bare relay (dialplan unicast)');
  printTable(
    `Switch: AI calls, real FreeSWITCH 1.10.12 + SIPp callers playing a tone, echo bot${ns ? ', own network namespace' : ', HOST loopback (no netns)'}`,
    ['target', 'concurrent calls', 'call s', 'ok', 'failed', 'silent', `gap > ${GAP_LIMIT_MS} ms`, 'max gap ms', 'echo p50 ms', 'echo p99 ms', 'CPU ms / stream-s', 'FS CPU ms / stream-s'],
    results.map((r) => [name(r.target), r.streams, r.callMs / 1000, r.successful, r.failed, r.silent, r.broken, r.maxGapMs, r.delayP50Ms, r.delayP99Ms, r.ownCpuMsPerStreamS, r.fsCpuMsPerStreamS]),
  );
  const clean = (r: BotRungResult): boolean => r.failed === 0 && r.calls === r.streams && r.silent === 0 && r.broken === 0 && r.delayP99Ms <= DELAY_LIMIT_MS;
  const best = (t: BotTarget): number => Math.max(0, ...results.filter((r) => r.target === t && clean(r)).map((r) => r.streams));
  const common = results
    .filter((r) => r.target === 'bridge')
    .flatMap((b) => {
      const rl = results.find((r) => r.target === 'relay' && r.streams === b.streams);
      return rl ? [[b.streams, b.ownCpuMsPerStreamS / rl.ownCpuMsPerStreamS, b.fsCpuMsPerStreamS / rl.fsCpuMsPerStreamS] as (string | number)[]] : [];
    });
  if (common.length) printTable('Switch: AI calls, bridge ÷ relay at the same N', ['concurrent calls', 'CPU per stream ratio (controller ÷ relay)', 'FS CPU per stream ratio'], common);
  process.stdout.write(
    `highest clean N (every call up and echoed, no gap > ${GAP_LIMIT_MS} ms, echo p99 ≤ ${DELAY_LIMIT_MS} ms): bridge ${best('bridge')}, relay ${best('relay')}\n`,
  );
}
