/**
 * `npm run bench -- bot`: the AI bridge under load, beside a baseline measured in the same run (a
 * bare UDP↔WebSocket relay: no JSON, no base64, no pacing). Everything runs in this one process
 * (the FreeSWITCH stand-in test/emulator/unicast.ts, the echo bot, the bridge): the figures are
 * for one core shared with the load generator, so they understate the bridge alone.
 *  - uplink: frame sent on UDP by "FreeSWITCH" → media message received by the bot;
 *  - downlink: the bot sends audio → the datagram reaches "FreeSWITCH". For the bridge this
 *    includes the deliberate wait for the next 20 ms tick (0–20 ms): pacing, not processing;
 *  - jitter: |inter-arrival − 20 ms| of the bridge's datagrams at "FreeSWITCH", p99;
 *  - streams: the most concurrent bidirectional streams with jitter p99 < 5 ms.
 * Knobs: BENCH_BOT_STREAMS (comma list, default 100,250,500,750), BENCH_BOT_SECONDS (default 4).
 */
import { createSocket, type Socket } from 'node:dgram';
import WebSocket, { WebSocketServer } from 'ws';
import { createBotBridge, DEFAULT_BOT_SETTINGS, type BotBridge } from '../src/bot/bridge.ts';
import { createMediaClock } from '../src/bot/media-clock.ts';
import { createPortPool } from '../src/bot/port-pool.ts';
import { silentLogger } from '../src/logging/logger.ts';
import { EmulatedUnicast, type UnicastParams } from '../test/emulator/unicast.ts';
import { printTable } from './table.ts';

const STREAMS = (process.env.BENCH_BOT_STREAMS ?? '100,250,500,750').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_BOT_SECONDS ?? 4);
const WARMUP_MS = 500;

interface Run {
  streams: number;
  up: number[];
  down: number[];
  jitter: number[];
  cpuPct: number;
}

/** Frame n carries n+1 in its first 4 bytes, so both ends can match it. */
const frameFor = (n: number): Buffer => {
  const b = Buffer.alloc(320);
  b.writeUInt32LE(n + 1, 0);
  return b;
};

/** The echo bot: records uplink latency, echoes at once, remembers when it echoed each frame. */
function startBot(sentAt: Map<string, number>, echoedAt: Map<string, number>, up: number[], measuring: () => boolean): Promise<WebSocketServer> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  wss.on('connection', (ws, req) => {
    const sid = req.url ?? '/';
    ws.on('message', (data, binary) => {
      let frame: Buffer;
      if (binary) frame = data as Buffer;
      else {
        const m = JSON.parse(data.toString()) as { type: string; payload?: string };
        if (m.type !== 'media' || !m.payload) return;
        frame = Buffer.from(m.payload, 'base64');
      }
      const key = `${sid}:${frame.readUInt32LE(0)}`;
      const t = performance.now();
      const s = sentAt.get(key);
      if (s !== undefined && measuring()) up.push(t - s);
      echoedAt.set(key, performance.now());
      if (binary) ws.send(frame);
      else ws.send(JSON.stringify({ type: 'response.audio.delta', delta: frame.toString('base64') }));
    });
  });
  return new Promise((r) => wss.once('listening', () => r(wss)));
}

/** A FreeSWITCH unicast whose frames are numbered; records send times. */
async function startFs(params: UnicastParams, sid: string, sentAt: Map<string, number>): Promise<EmulatedUnicast> {
  return EmulatedUnicast.start(params, (n) => {
    sentAt.set(`${sid}:${n + 1}`, performance.now());
    return frameFor(n);
  });
}

function fakeSession(i: number, wsPath: string, fs: EmulatedUnicast[], sentAt: Map<string, number>, abort: AbortController) {
  return {
    callId: `c${i}`, uuid: `u${i}`, did: '+910', caller: '+911', orgId: null, record: { dtmf: '' },
    logger: silentLogger(),
    deps: { now: () => new Date(), bus: { emit: () => undefined } },
    channel: {
      variables: {}, signal: abort.signal, onEvent: () => () => undefined,
      startUnicast: async (u: UnicastParams) => void fs.push(await startFs(u, wsPath, sentAt)),
    },
  } as never;
}

async function runBridge(n: number, bridge: BotBridge, botPort: number): Promise<Run> {
  const sentAt = new Map<string, number>();
  const echoedAt = new Map<string, number>();
  const up: number[] = [];
  let measuring = false;
  const bot = await startBot(sentAt, echoedAt, up, () => measuring);
  const port = (bot.address() as { port: number }).port;
  void botPort;
  const fs: EmulatedUnicast[] = [];
  const aborts: AbortController[] = [];
  const legs: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const a = new AbortController();
    aborts.push(a);
    const target = { id: null, name: 'b', wsUrl: `ws://127.0.0.1:${port}/s${i}`, headers: {}, dialect: 'native' as const, audioFormat: 'l16_8k' as const, systemPrompt: null, language: 'en', openingText: null, connectTimeoutMs: 5000 };
    legs.push(bridge.run(fakeSession(i, `/s${i}`, fs, sentAt, a), target));
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 7)); // stagger the ticks' work a little
  }
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const from = fs.map((f) => f.received.length);
  measuring = true;
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  const down: number[] = [];
  const jitter: number[] = [];
  fs.forEach((f, i) => {
    const rx = f.received.slice(from[i]);
    for (let k = 1; k < rx.length; k++) jitter.push(Math.abs(rx[k]!.at - rx[k - 1]!.at - 20));
    for (const d of rx) {
      const e = echoedAt.get(`/s${i}:${d.bytes.readUInt32LE(0)}`);
      if (e !== undefined) down.push(d.at - e);
    }
  });
  for (const a of aborts) a.abort();
  await Promise.all(legs);
  for (const f of fs) f.stop('hangup');
  await new Promise<void>((r) => bot.close(() => r()));
  return { streams: n, up, down, jitter, cpuPct: ((cpu.user + cpu.system) / 1000 / wall) * 100 };
}

/** Baseline: per stream a UDP socket and a WebSocket, bytes forwarded as they come, both ways. */
async function runRelay(n: number): Promise<Run> {
  const sentAt = new Map<string, number>();
  const echoedAt = new Map<string, number>();
  const up: number[] = [];
  let measuring = false;
  const bot = await startBot(sentAt, echoedAt, up, () => measuring);
  const port = (bot.address() as { port: number }).port;
  const fs: EmulatedUnicast[] = [];
  const socks: Array<{ udp: Socket; ws: WebSocket }> = [];
  for (let i = 0; i < n; i++) {
    const udp = createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    const ws = new WebSocket(`ws://127.0.0.1:${port}/s${i}`, { perMessageDeflate: false });
    await new Promise((r) => ws.once('open', r));
    const fsPort = 45000 + i * 2 + 1;
    udp.on('message', (m) => ws.send(m));
    ws.on('message', (d) => udp.send(d as Buffer, fsPort, '127.0.0.1'));
    socks.push({ udp, ws });
    fs.push(await startFs({ localIp: '127.0.0.1', localPort: fsPort, remoteIp: '127.0.0.1', remotePort: udp.address().port, native: false }, `/s${i}`, sentAt));
  }
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  measuring = true;
  const from = fs.map((f) => f.received.length);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  const down: number[] = [];
  fs.forEach((f, i) => {
    for (const d of f.received.slice(from[i])) {
      const e = echoedAt.get(`/s${i}:${d.bytes.readUInt32LE(0)}`);
      if (e !== undefined) down.push(d.at - e);
    }
  });
  for (const f of fs) f.stop('hangup');
  for (const s of socks) {
    s.ws.terminate();
    s.udp.close();
  }
  await new Promise<void>((r) => bot.close(() => r()));
  return { streams: n, up, down, jitter: [], cpuPct: ((cpu.user + cpu.system) / 1000 / wall) * 100 };
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export async function benchBot(): Promise<void> {
  const rows: (string | number)[][] = [];
  let best = 0;
  for (const n of STREAMS) {
    const clock = createMediaClock();
    const bridge = createBotBridge({
      logger: silentLogger(),
      ports: createPortPool(42000, 42000 + 2 * n + 1),
      clock,
      settings: { ...DEFAULT_BOT_SETTINGS, silenceTimeoutMs: 10_000 },
    });
    const b = await runBridge(n, bridge, 0);
    clock.stop();
    const r = await runRelay(n);
    const jit = pct(b.jitter, 99);
    if (jit < 5) best = Math.max(best, n);
    rows.push([n, 'bridge', pct(b.up, 50), pct(b.up, 99), pct(b.down, 50), pct(b.down, 99), jit, b.cpuPct]);
    rows.push([n, 'baseline relay', pct(r.up, 50), pct(r.up, 99), pct(r.down, 50), pct(r.down, 99), '—', r.cpuPct]);
  }
  printTable(
    `AI bridge: ${SECONDS} s per run, one process (load generator included); downlink includes the 0–20 ms pacing wait`,
    ['streams', 'path', 'uplink p50 ms', 'uplink p99 ms', 'downlink p50 ms', 'downlink p99 ms', 'pacing jitter p99 ms', 'CPU %'],
    rows,
  );
  process.stdout.write(`\nmost concurrent streams with pacing jitter p99 < 5 ms: ${best} (target ≥ 500: ${best >= 500 ? 'met' : 'NOT met'})\n`);
}
