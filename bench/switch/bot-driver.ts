/**
 * The AI bench's driver, inside its own network namespace (spawned by bench/switch-bot.bench.ts): boots
 * the compiled controller (an echo bot as its AI agent, a DID routed to it), FreeSWITCH from a copy of
 * freeswitch-conf/ with one bench-only extension for the baseline (answer, `unicast` to the bare relay,
 * park), and the relay; then, per rung of N concurrent calls and per target, SIPp places N callers that
 * each play a sweeping tone, while tcpdump records the loopback's RTP. Prints one `RESULT <json>` per rung.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { trackChild } from '../child-reaper.ts';
import { cpuMs, waitIdle } from './measure.ts';
import { bootFreeSwitch, writeConf, type RunningSwitch } from './freeswitch.ts';
import { configureBot, startController, toneWav, type RunningController } from './controller.ts';
import { startEchoBot } from './echo-bot.ts';
import { callerFrames, readUdpPackets, writeRtpPcap } from './pcap.ts';
import { analyzeCalls, summarize } from './rtp-analysis.ts';
import type { BotDriverConfig, BotRungResult, BotTarget } from './bot-types.ts';

const cfg = JSON.parse(process.env.BENCH_SWITCH_BOT_DRIVER ?? '{}') as BotDriverConfig;
const SCENARIO = resolve('bench/switch/uac-bot-call.xml');
const RELAY_NUMBER = '9998';
const log = (m: string): void => void process.stderr.write(`[switch-bot] ${m}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));



/** The relay child; resolves once it printed its UDP port. */
async function startRelay(botUrl: string): Promise<{ child: ChildProcess; eslPort: number }> {
  const child = spawn(process.execPath, [...cfg.relayArgs, botUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  trackChild(child);
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error('the relay did not start within 10 s')), 10_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^PORT (\d+) (\d+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolvePort(Number(m[2]));
      }
    });
  });
  return { child, eslPort: port };
}

/** Baseline extension: answer, then the relay's outbound ESL (it starts unicast and parks the call). */
function relayExtension(eslPort: number): string {
  return `
    <!-- bench only: the AI bench's baseline, FreeSWITCH's unicast to a bare UDP↔WebSocket relay. -->
    <extension name="bench_relay">
      <condition field="destination_number" expression="^${RELAY_NUMBER}$">
        <action application="answer"/>
        <action application="socket" data="127.0.0.1:${eslPort} async full"/>
      </condition>
    </extension>
`;
}

function startCapture(file: string): ChildProcess {
  const child = spawn('tcpdump', ['-i', 'lo', '-nn', '-s', '400', '-B', '65536', '-w', file, 'udp and not port 5080 and not port 5070'], { stdio: 'ignore' });
  trackChild(child);
  return child;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

async function runSipp(dir: string, service: string, n: number, durationMs: number): Promise<{ successful: number; failed: number }> {
  mkdirSync(dir, { recursive: true });
  writeRtpPcap(join(dir, 'caller.pcap'), callerFrames(durationMs / 1000 + 1));
  const args = [
    '127.0.0.1:5080', '-sf', SCENARIO, '-s', service,
    '-i', '127.0.0.1', '-ci', '127.0.0.1', '-mi', '127.0.0.1', '-p', '5070', '-mp', '6000',
    '-r', String(cfg.rampPerS), '-m', String(n), '-l', String(n), '-d', String(durationMs),
    '-nostdin', '-trace_err', '-trace_stat', '-stf', 'stat.csv', '-fd', '1',
    '-timeout', `${Math.ceil(durationMs / 1000 + n / cfg.rampPerS) + 40}s`, '-timeout_error',
  ];
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  trackChild(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  const lines = readFileSync(join(dir, 'stat.csv'), 'utf8').split('\n').filter((l) => l.trim());
  if (lines.length < 2) throw new Error(`sipp wrote no statistics (exit ${code}): ${stderr.slice(-1500)}`);
  const head = lines[0]!.split(';');
  const last = lines[lines.length - 1]!.split(';');
  const stat = new Map(head.map((h, i) => [h.trim(), (last[i] ?? '').trim()]));
  const successful = Number(stat.get('SuccessfulCall(C)') ?? 0);
  return { successful, failed: Math.max(Number(stat.get('FailedCall(C)') ?? 0), n - successful) };
}

async function main(): Promise<void> {
  let ctl: RunningController | undefined;
  let fs: RunningSwitch | undefined;
  let relay: ChildProcess | undefined;
  const bot = await startEchoBot();
  try {
    ctl = startController(cfg.controllerArgs, cfg.work, cfg.xmlCurlToken, cfg.controllerCwd);
    await configureBot(cfg.work, `+${cfg.didDialled}`, bot.url);
    const r = await startRelay(bot.url);
    relay = r.child;
    const greeting = join(cfg.work, 'bench-native.wav');
    writeFileSync(greeting, toneWav(200));
    const conf = writeConf(cfg.work, {
      dir: cfg.confDir,
      xmlCurlToken: cfg.xmlCurlToken,
      native: { number: '9999', greetingFile: greeting, timeoutMs: 1000, digitTimeoutMs: 3000, timeoutPrompt: greeting },
      extraExtensions: relayExtension(r.eslPort),
    });
    fs = await bootFreeSwitch(cfg.work, conf);
    log(`controller pid ${ctl.pid}, relay pid ${relay.pid} (esl ${r.eslPort}), FreeSWITCH pid ${fs.pid}, echo bot ${bot.url}`);
    await sleep(2000);
    for (const t of cfg.targets) await runSipp(join(cfg.work, 'sipp', `warmup-${t}`), service(t), 3, 2000);
    await waitIdle(fs, 20_000);

    const stopped = new Set<BotTarget>();
    for (const n of cfg.streams) {
      for (const target of cfg.targets) {
        if (stopped.has(target)) continue;
        const leftover = await waitIdle(fs, 30_000);
        const dir = join(cfg.work, 'sipp', `${target}-${n}`);
        mkdirSync(dir, { recursive: true });
        const capFile = join(dir, 'rtp.pcap');
        const cap = startCapture(capFile);
        await sleep(500);
        const durationMs = Math.max(cfg.minCallMs, Math.round((n / cfg.rampPerS) * 1000) + cfg.overlapMs);
        const pid = target === 'bridge' ? ctl.pid : relay.pid!;
        const fs0 = cpuMs(fs.pid);
        const own0 = cpuMs(pid);
        const sipp = await runSipp(dir, service(target), n, durationMs);
        const fsMs = cpuMs(fs.pid) - fs0;
        const ownMs = cpuMs(pid) - own0;
        await sleep(500);
        await stopChild(cap, 'SIGINT');
        const calls = analyzeCalls(readUdpPackets(readFileSync(capFile)), { gapLimitMs: cfg.gapLimitMs, settleMs: 1000, tailMs: 300 });
        if (process.env.BENCH_SWITCH_KEEP !== '1') rmSync(capFile, { force: true });
        const m = summarize(calls);
        const streamSeconds = (sipp.successful * durationMs) / 1000;
        const res: BotRungResult = {
          target, streams: n, callMs: durationMs, successful: sipp.successful, failed: sipp.failed, leftover,
          ...m,
          ownCpuMsPerStreamS: ownMs / Math.max(1, streamSeconds),
          fsCpuMsPerStreamS: fsMs / Math.max(1, streamSeconds),
        };
        process.stdout.write(`RESULT ${JSON.stringify(res)}\n`);
        log(`${target} ${n}: ${sipp.successful}/${n} ok, media on ${m.calls} calls, ${m.silent} silent, ${m.broken} with a gap > ${cfg.gapLimitMs} ms (max ${m.maxGapMs.toFixed(1)}), echo p50 ${m.delayP50Ms.toFixed(1)} p99 ${m.delayP99Ms.toFixed(1)} ms, own ${res.ownCpuMsPerStreamS.toFixed(2)} FS ${res.fsCpuMsPerStreamS.toFixed(2)} ms per stream-s`);
        const clean = sipp.failed === 0 && m.calls === n && m.silent === 0 && m.broken === 0 && m.delayP99Ms <= cfg.delayLimitMs;
        if (!clean) stopped.add(target);
      }
    }
  } finally {
    if (relay) await stopChild(relay, 'SIGKILL');
    await fs?.stop().catch((e: unknown) => log(`FreeSWITCH stop: ${String(e)}`));
    await ctl?.stop().catch((e: unknown) => log(`controller stop: ${String(e)}`));
    await bot.close();
  }
}

function service(t: BotTarget): string {
  return t === 'relay' ? RELAY_NUMBER : cfg.didDialled;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`[switch-bot] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
