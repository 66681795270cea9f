/**
 * `npm run bench -- bot`: the AI bridge under load, beside a baseline measured in the same run (a
 * bare UDP↔WebSocket relay: no JSON, no base64, no resampling, no pacing).
 * The system under test runs alone in a child process (bench/bot-server.ts, spawned fresh for each
 * run); this process is the load generator: the FreeSWITCH side (one UDP socket per stream, caller
 * frames every 20 ms from one absolute-time scheduler in 4 phase groups) and the echo bots (one
 * WebSocket server). With ≥ 2 CPUs and `taskset` (BENCH_BOT_PIN≠0) the child is pinned to CPU 1
 * and this process to CPU 0, so the bridge has a core to itself and the generator cannot steal it.
 * Measured (see bench/pin.ts for the CPU placement):
 *  - pacing jitter: |inter-arrival − 20 ms| of the datagrams the child sends toward "FreeSWITCH",
 *    per stream, taken here on receipt (p99 over all streams). The relay is not paced: its figure
 *    is the generator's own timing carried through the loop, i.e. the floor of this measurement;
 *  - processing in the child (performance.now() around the handlers, no src/ changes): uplink =
 *    one datagram handled (decode, convert, JSON, ws.send); downlink = one bot message handled
 *    (parse, decode, queue) + that stream's share of the clock tick (dequeue, udp.send). Separately,
 *    the tick span (fired → every stream served; the frames leave after it) and tick lateness;
 *  - other load: CPU used on the machine by processes other than these two (from /proc/stat), so a
 *    run disturbed by something else on the host can be told apart;
 *  - end to end, seen here: uplink = frame sent on UDP → media message at the bot; downlink = the
 *    bot's echo → datagram at "FreeSWITCH", which for the bridge includes the deliberate wait for
 *    the next 20 ms tick (0–20 ms): pacing, not processing.
 *  - streams: the most concurrent bidirectional streams with jitter p99 < 5 ms, bridge and relay.
 * Knobs: BENCH_BOT_STREAMS (comma list, default 100,250,500,750), BENCH_BOT_SECONDS (default 4),
 * BENCH_BOT_FORMAT (bot audio format, default l16_8k; end-to-end figures need l16_8k, where frames
 * pass through unchanged and can be matched), BENCH_BOT_PIN (default 1), BENCH_BOT_GROUPS (the media
 * clock's phase groups in the child, default 4; 1 = every stream in one tick).
 *  - CPU per stream: the child's CPU time per stream-second, as delivered and scaled to a full
 *    stream-second from the frames actually handled; bridge ÷ relay; implied streams per core.
 */
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';
import { startBotChild, type ChildStats } from './bot-child.ts';
import { printTable } from './table.ts';
import type { CompiledEntries } from './compiled.ts';
import { pinLoadGenerator } from './pin.ts';

const STREAMS = (process.env.BENCH_BOT_STREAMS ?? '100,250,500,750').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_BOT_SECONDS ?? 4);
const FORMAT = process.env.BENCH_BOT_FORMAT ?? 'l16_8k';
const WARMUP_MS = 1000;
const RING = 256;
const GROUPS = 4;
const BASE: Record<Mode, number> = { bridge: 40000, relay: 42000 };

type Mode = 'bridge' | 'relay';

interface Run {
  mode: Mode;
  streams: number;
  child: ChildStats;
  jitter: number[];
  up: number[];
  down: number[];
  /** datagrams received per stream per second at "FreeSWITCH" (50 = every tick) */
  rxRate: number;
  genCpuPct: number;
  genEldP99Ms: number;
  /** CPU % (of one core) used by everything else on the host during the window */
  otherPct: number;
}

/** Busy CPU time of the whole host so far (ms), from /proc/stat; NaN elsewhere. */
function hostBusyMs(): number {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!; // user nice system irq softirq steal
    return (busy * 1000) / 100; // USER_HZ = 100
  } catch {
    return NaN;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function run(compiled: CompiledEntries, mode: Mode, n: number, cpu: number | undefined): Promise<Run> {
  const base = BASE[mode];
  const sentAt = new Float64Array(n * RING);
  const echoedAt = new Float64Array(n * RING);
  const echoedId = new Uint32Array(n * RING);
  const last = new Float64Array(n);
  const seq = new Uint32Array(n);
  const up: number[] = [];
  const down: number[] = [];
  const jitter: number[] = [];
  let rx = 0;
  let measuring = false;

  // The echo bots: one server, stream i on path /s<i>. Echo at once, note when.
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const botPort = (wss.address() as { port: number }).port;
  wss.on('connection', (ws, req) => {
    const i = Number((req.url ?? '/s0').slice(2));
    ws.on('error', () => undefined);
    ws.on('message', (data: Buffer, binary) => {
      let id: number;
      if (binary) {
        id = data.readUInt32LE(0);
        ws.send(data);
      } else {
        const at = data.indexOf('"payload":"');
        if (at === -1) return; // start, stop, …
        const from = at + 11;
        const payload = data.toString('latin1', from, data.indexOf(0x22, from));
        id = Buffer.from(payload.slice(0, 8), 'base64').readUInt32LE(0);
        ws.send(`{"type":"response.audio.delta","delta":"${payload}"}`);
      }
      const t = performance.now();
      const k = i * RING + (id % RING);
      if (measuring && id > 0 && sentAt[k]! > 0) up.push(t - sentAt[k]!);
      echoedAt[k] = t;
      echoedId[k] = id;
    });
  });

  // The FreeSWITCH side: stream i listens on base+2i+1 and sends to base+2i.
  const socks: Socket[] = [];
  for (let i = 0; i < n; i++) {
    const s = createSocket('udp4');
    s.on('error', () => undefined);
    s.on('message', (bytes) => {
      const t = performance.now();
      if (measuring) {
        rx++;
        if (last[i]! > 0) jitter.push(Math.abs(t - last[i]! - 20));
        const id = bytes.length >= 4 ? bytes.readUInt32LE(0) : 0;
        const k = i * RING + (id % RING);
        if (id > 0 && echoedId[k] === id) down.push(t - echoedAt[k]!);
      }
      last[i] = t;
    });
    await new Promise<void>((r) => s.bind(base + 2 * i + 1, '127.0.0.1', () => r()));
    socks.push(s);
  }

  const child = await startBotChild(compiled, [mode, String(n), String(botPort), String(base), FORMAT], { cpu });
  let sender: NodeJS.Timeout | null = null;
  try {
    // Caller audio: every 20 ms per stream, in GROUPS phase groups (5 ms apart), absolute times.
    const period = 20 / GROUPS;
    let due = performance.now() + period;
    let slot = 0;
    const tick = (): void => {
      const now = performance.now();
      if (now - due > 3 * 20) due = now;
      const g = slot++ % GROUPS;
      for (let i = g; i < n; i += GROUPS) {
        const id = ++seq[i]!;
        const frame = Buffer.allocUnsafe(320).fill(0);
        frame.writeUInt32LE(id, 0);
        sentAt[i * RING + (id % RING)] = performance.now();
        socks[i]!.send(frame, base + 2 * i, '127.0.0.1');
      }
      due += period;
      sender = setTimeout(tick, Math.max(0, Math.floor(due - performance.now())));
    };
    sender = setTimeout(tick, period);

    await sleep(WARMUP_MS);
    const eld = monitorEventLoopDelay({ resolution: 1 });
    await child.measureStart();
    eld.enable();
    const cpu0 = process.cpuUsage();
    const host0 = hostBusyMs();
    const t0 = performance.now();
    measuring = true;
    await sleep(SECONDS * 1000);
    measuring = false;
    const wall = performance.now() - t0;
    const gcpu = process.cpuUsage(cpu0);
    const hostPct = ((hostBusyMs() - host0) / wall) * 100;
    eld.disable();
    const stats = await child.measureStop();
    const genCpuPct = ((gcpu.user + gcpu.system) / 1000 / wall) * 100;
    return {
      mode, streams: n, child: stats, jitter, up, down,
      rxRate: rx / n / (wall / 1000),
      genCpuPct,
      genEldP99Ms: eld.percentile(99) / 1e6,
      otherPct: Math.max(0, hostPct - genCpuPct - stats.cpuPct),
    };
  } finally {
    if (sender) clearTimeout(sender);
    await child.stop();
    for (const s of socks) s.close();
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
  }
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const cell = (v: number): number | string => (Number.isFinite(v) ? v : '—');

export async function benchBot(compiled: CompiledEntries): Promise<void> {
  const pin = pinLoadGenerator();
  const cpu = pin.serverCpu;
  const runs: Run[] = [];
  try {
    for (const n of STREAMS) {
      runs.push(await run(compiled, 'bridge', n, cpu));
      runs.push(await run(compiled, 'relay', n, cpu));
    }
  } finally {
    pin.release();
  }
  const name = (r: Run): string => (r.mode === 'bridge' ? 'bridge' : 'baseline relay');
  const where = cpu !== undefined ? 'system under test in a child pinned to CPU 1, generator pinned to CPU 0' : 'system under test in a child process (not pinned)';
  printTable(
    `AI bridge, pacing: ${SECONDS} s per run, ${where}; jitter = |inter-arrival − 20 ms| at the fake switch`,
    ['streams', 'path', 'jitter p50 ms', 'jitter p99 ms', 'rx frames/s/stream', 'tick late p99 ms', 'SUT CPU %', 'SUT loop delay p99 ms', 'generator CPU %', 'generator loop delay p99 ms', 'other load on host CPU %'],
    runs.map((r) => [
      r.streams, name(r), pct(r.jitter, 50), pct(r.jitter, 99), r.rxRate,
      r.mode === 'bridge' ? r.child.lateMs.p99 : '—', r.child.cpuPct, r.child.eldP99Ms, r.genCpuPct, r.genEldP99Ms, cell(r.otherPct),
    ]),
  );
  // CPU per stream: the child's CPU time over the window, per stream-second. When the child (or the
  // host) is saturated, fewer frames than 50 + 50 per stream-second get handled, so the figure is also
  // given per frame actually handled, scaled to a full stream-second (50 caller frames + 50 bot messages).
  const perStream = (r: Run): { delivered: number; full: number; framesPerSec: number } => {
    const streamSec = r.streams * (r.child.wallMs / 1000);
    const frames = r.child.upMs.n + r.child.downMsgMs.n;
    return { delivered: r.child.cpuMs / streamSec, full: frames > 0 ? (r.child.cpuMs / frames) * 100 : NaN, framesPerSec: frames / streamSec };
  };
  printTable(
    `AI bridge, CPU per stream in the system under test (media clock: ${process.env.BENCH_BOT_GROUPS ?? 4} phase groups); a stream-second at full rate = 50 caller frames + 50 bot messages`,
    ['streams', 'path', 'SUT CPU %', 'frames handled /s/stream', 'SUT CPU ms per stream-second (as delivered)', 'SUT CPU ms per stream-second (at full rate)', 'bridge ÷ relay', 'implied streams per core (100% / per-stream CPU)'],
    runs.map((r) => {
      const relay = runs.find((x) => x.mode === 'relay' && x.streams === r.streams);
      const p = perStream(r);
      return [
        r.streams, name(r), r.child.cpuPct, p.framesPerSec, p.delivered, p.full,
        r.mode === 'bridge' && relay ? cell(p.full / perStream(relay).full) : '—', cell(1000 / p.full),
      ];
    }),
  );
  printTable(
    'AI bridge, processing inside the system under test (per frame/message, handler time, ms)',
    ['streams', 'path', 'uplink p50', 'uplink p99', 'uplink max', 'down msg p50', 'down msg p99', 'down tick share p99', 'down p99 (msg + tick)', 'tick span p99 (one slot: its streams served)'],
    runs.map((r) => {
      const b = r.mode === 'bridge';
      return [
        r.streams, name(r), r.child.upMs.p50, r.child.upMs.p99, r.child.upMs.max, r.child.downMsgMs.p50, r.child.downMsgMs.p99,
        b ? r.child.tickMs.p99 : '—', b ? r.child.downMsgMs.p99 + r.child.tickMs.p99 : r.child.downMsgMs.p99, b ? r.child.sendOffsetMs.p99 : '—',
      ];
    }),
  );
  const e2e = FORMAT === 'l16_8k';
  printTable(
    `AI bridge, end to end as seen by the generator (ms); the bridge's downlink includes the 0–20 ms pacing wait${e2e ? '' : ' (not measurable with BENCH_BOT_FORMAT≠l16_8k)'}`,
    ['streams', 'path', 'uplink p50', 'uplink p99', 'uplink p99 − relay', 'downlink p50', 'downlink p99'],
    runs.map((r) => {
      const relay = runs.find((x) => x.mode === 'relay' && x.streams === r.streams)!;
      return [
        r.streams, name(r), cell(pct(r.up, 50)), cell(pct(r.up, 99)),
        r.mode === 'bridge' ? cell(pct(r.up, 99) - pct(relay.up, 99)) : '—', cell(pct(r.down, 50)), cell(pct(r.down, 99)),
      ];
    }),
  );
  const best = (m: Mode): number => Math.max(0, ...runs.filter((r) => r.mode === m && pct(r.jitter, 99) < 5).map((r) => r.streams));
  const bridgeBest = best('bridge');
  process.stdout.write(`\nmost concurrent streams with pacing jitter p99 < 5 ms: bridge ${bridgeBest}, baseline relay ${best('relay')} (target ≥ 500 for the bridge: ${bridgeBest >= 500 ? 'met' : 'NOT met'})\n`);
  const at = runs.filter((r) => r.mode === 'bridge' && r.streams >= 500);
  const row = at.length ? at[0]! : runs.filter((r) => r.mode === 'bridge').at(-1)!;
  const upP99 = row.child.upMs.p99;
  const downP99 = row.child.downMsgMs.p99 + row.child.tickMs.p99;
  process.stdout.write(
    `processing p99 at ${row.streams} streams: uplink ${upP99.toFixed(3)} ms, downlink ${downP99.toFixed(3)} ms (+ up to ${row.child.sendOffsetMs.p99.toFixed(3)} ms p99 waiting for the tick's other streams)` +
      ` (target ≤ 2 ms per direction: ${upP99 <= 2 && downP99 <= 2 ? 'met' : 'NOT met'})\n`,
  );
}
