/**
 * Runs inside the bench's network namespace (spawned by bench/switch.bench.ts with `ip netns exec`), so
 * FreeSWITCH, the controller, SIPp and the API calls all use a loopback of their own: boots the
 * controller and configures it through the API, boots FreeSWITCH from a copy of freeswitch-conf/, then
 * runs the rungs, interleaving the targets, and prints one `RESULT <json>` line per rung on stdout.
 * Everything it started is stopped by pid in a `finally`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { trackChild } from '../child-reaper.ts';
import { cpuMs, waitIdle } from './measure.ts';
import { join } from 'node:path';
import { bootFreeSwitch, PRODUCT_SOCKET_ARGS, socketExtension, writeConf, type RunningSwitch } from './freeswitch.ts';
import { configureIvr, startController, type RunningController } from './controller.ts';
import { quantile, runSipp } from './sipp.ts';
import type { DriverConfig, RungResult, Target } from './types.ts';

const cfg = JSON.parse(process.env.BENCH_SWITCH_DRIVER ?? '{}') as DriverConfig;
const log = (m: string): void => void process.stderr.write(`[switch] ${m}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** `dedicated`: FreeSWITCH on CPU 0; the controller and the load generator on CPU 1. */
const pin = cfg.layout === 'dedicated' ? { fs: 0, rest: 1 } : { fs: undefined, rest: undefined };



async function main(): Promise<void> {
  let ctl: RunningController | undefined;
  let fs: RunningSwitch | undefined;
  let pcap: ChildProcess | undefined;
  let floor: ChildProcess | undefined;
  try {
    ctl = startController(cfg.controllerArgs, cfg.work, cfg.xmlCurlToken, cfg.controllerCwd, pin.rest);
    const ivr = await configureIvr(cfg.work, `+${cfg.didDialled}`);
    log(`controller pid ${ctl.pid}, IVR ${ivr.ivrId} published on +${cfg.didDialled}`);
    if (cfg.targets.includes('floor')) {
      floor = startFloor([...cfg.floorArgs, String(FLOOR_PORT), ivr.greetingFile, ivr.timeoutPrompt, String(ivr.timeoutMs), String(ivr.digitTimeoutMs)]);
      log(`floor server pid ${floor.pid} on 127.0.0.1:${FLOOR_PORT}`);
    }
    const conf = writeConf(cfg.work, {
      dir: cfg.confDir,
      xmlCurlToken: cfg.xmlCurlToken,
      socketArgs: cfg.socketArgs ?? PRODUCT_SOCKET_ARGS,
      native: { number: cfg.nativeNumber, greetingFile: ivr.greetingFile, timeoutMs: ivr.timeoutMs, digitTimeoutMs: ivr.digitTimeoutMs, timeoutPrompt: ivr.timeoutPrompt },
      extraExtensions: floorExtension(cfg.floorNumber),
    });
    fs = await bootFreeSwitch(cfg.work, conf, pin.fs);
    log(`FreeSWITCH pid ${fs.pid} up (conf ${conf})`);
    await sleep(2000); // let the controller's inbound client connect and the switch settle

    // Warm-up: a few calls through each target, not measured.
    for (const t of cfg.targets) await runSipp({ dir: join(cfg.work, 'sipp', `warmup-${t}`), service: service(t), rate: 5, seconds: 1 });
    await waitIdle(fs, 15_000);

    if (cfg.pcap) pcap = startPcap(join(cfg.work, 'sip-esl.pcap'));
    const stopped = new Set<Target>();
    for (const rate of cfg.rates) {
      for (const target of cfg.targets) {
        if (stopped.has(target)) continue;
        const leftover = await waitIdle(fs, 30_000);
        const fs0 = cpuMs(fs.pid);
        // The floor target's "controller" is the floor server.
        const served = target === 'floor' && floor?.pid !== undefined ? floor.pid : ctl.pid;
        const ctl0 = cpuMs(served);
        const run = await runSipp({ dir: join(cfg.work, 'sipp', `${target}-${rate}`), service: service(target), rate, seconds: cfg.rungSeconds, ...(pin.rest === undefined ? {} : { cpu: pin.rest }) });
        await sleep(1000); // the calls' teardown (socket exit, channel destroy) belongs to the rung
        const fsMs = cpuMs(fs.pid) - fs0;
        const ctlMs = cpuMs(served) - ctl0;
        const completed = Math.max(1, run.successful);
        const r: RungResult = {
          target,
          rate,
          calls: run.placed,
          successful: run.successful,
          failed: run.failed,
          p50Ms: quantile(run.inviteTo200Ms, 0.5),
          p99Ms: quantile(run.inviteTo200Ms, 0.99),
          fsCpuMsPerCall: fsMs / completed,
          // The native target never touches the controller: its figure is what the idle controller burnt.
          ctlCpuMsPerCall: target === 'native' ? 0 : ctlMs / completed,
          idleCtlCpuMs: target === 'native' ? ctlMs : 0,
          leftoverChannels: leftover,
          seconds: run.seconds,
        };
        process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
        log(`${target} ${rate}/s: ${r.successful}/${r.calls} ok, ${r.failed} failed, INVITE→200 p50 ${r.p50Ms.toFixed(1)} p99 ${r.p99Ms.toFixed(1)} ms, FS ${r.fsCpuMsPerCall.toFixed(2)} ms/call, controller ${r.ctlCpuMsPerCall.toFixed(2)} ms/call`);
        if (r.failed > 0 || !(r.p99Ms < cfg.p99LimitMs)) stopped.add(target);
      }
    }
  } finally {
    if (pcap && pcap.exitCode === null) {
      pcap.kill('SIGINT');
      await new Promise((r) => pcap?.once('exit', r));
    }
    await fs?.stop().catch((e: unknown) => log(`FreeSWITCH stop: ${String(e)}`));
    await ctl?.stop().catch((e: unknown) => log(`controller stop: ${String(e)}`));
    if (floor && floor.exitCode === null) floor.kill('SIGKILL');
  }
}

/** Port of the floor server (the controller's ESL server has 8084). */
const FLOOR_PORT = 8094;

function startFloor(argv: string[]): ChildProcess {
  const node = [process.execPath, ...argv];
  const cmd = pin.rest === undefined ? node : ['taskset', '-c', String(pin.rest), ...node];
  const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
  trackChild(child);
  return child;
}

/** The product's `inbound_did` apps (public.xml), with the socket reaching the floor server (bench/switch/floor-server.ts). */
function floorExtension(number: string): string {
  return socketExtension('bench_floor', number, FLOOR_PORT, { guard: true });
}

/** SIP (5080) and the controller's ESL (8084) on this namespace's loopback, for timelines (BENCH_SWITCH_PCAP=1). */
function startPcap(file: string): ChildProcess {
  const child = spawn('tcpdump', ['-i', 'lo', '-nn', '-s', '0', '-B', '16384', '-w', file, 'port 5080 or port 8084'], { stdio: 'ignore' });
  trackChild(child);
  log(`tcpdump pid ${child.pid} → ${file}`);
  return child;
}

function service(t: Target): string {
  return t === 'native' ? cfg.nativeNumber : t === 'floor' ? cfg.floorNumber : cfg.didDialled;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`[switch] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
