/**
 * Child process for `npm run bench -- bot`: the system under test, alone in its process (and, when
 * the parent pins it, on a core of its own):
 *   node --import tsx bench/bot-server.ts bridge|relay <streams> <botPort> <portBase> [format]
 * `bridge`: the real AI bridge (src/bot: port pool, media clock, one leg per stream, native dialect).
 * `relay`: the baseline, a bare UDP↔WebSocket relay per stream (bytes forwarded as they come: no
 * JSON, no base64, no resampling, no pacing).
 * Stream i: our UDP port is portBase+2i, the fake switch's is portBase+2i+1 (the pool's layout);
 * its bot is ws://127.0.0.1:<botPort>/s<i>. Prints `READY` once every stream is connected, then
 * answers one line per stdin line:
 *   MEASURE start → starts recording; MEASURE stop → JSON of what was recorded in between:
 *     upMs       handling of one datagram from the switch (parse/convert/encode + ws.send), per frame;
 *     downMsgMs  handling of one bot message (decode/convert/queue; relay: udp.send), per message;
 *     tickMs     one stream's share of a clock tick (dequeue + udp.send), per frame;
 *     sendOffsetMs the span of one tick, fired → last stream served (dgram.send with an IP
 *                address defers the actual send to process.nextTick, so every frame of a tick
 *                leaves after this span: it is the wait behind the other streams), per tick;
 *     lateMs     how late each 5 ms slot fired; eld* event-loop delay; cpuPct, cpuMs (user+system), wallMs.
 *   QUIT → ends every stream and exits.
 * Timing: performance.now() (monotonic, sub-µs) taken around the handlers themselves, by wrapping
 * `emit` of dgram sockets and WebSockets and the listeners given to the media clock; src/ is untouched.
 * Exits when stdin closes (the parent died).
 */
import dgram, { createSocket, type Socket } from 'node:dgram';
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { zeroMask } from '../src/bot/bot-socket.ts';
import { createBotBridge, DEFAULT_BOT_SETTINGS } from '../src/bot/bridge.ts';
import type { BotCall, BotLegResult } from '../src/bot/leg-types.ts';
import type { AudioFormat } from '../src/domain/agents.ts';
import { createMediaClock, type MediaClock } from '../src/bot/media-clock.ts';
import { createPortPool } from '../src/bot/port-pool.ts';
import { silentLogger } from '../src/runtime/logger.ts';

const [mode = 'bridge', nArg = '10', botPortArg = '0', baseArg = '40000', formatArg = 'l16_8k'] = process.argv.slice(2);
const N = Number(nArg);
const BOT_PORT = Number(botPortArg);
const BASE = Number(baseArg);
const FORMAT = formatArg as AudioFormat;
/** media clock phase groups (BENCH_BOT_GROUPS; 1 = every stream in one tick, as before) */
const GROUPS = Number(process.env.BENCH_BOT_GROUPS ?? 4);
const out = (line: string): void => void process.stdout.write(`${line}\n`);

/** Growable sample buffer (no per-sample allocation while measuring). */
class Samples {
  #a = new Float64Array(1 << 16);
  n = 0;
  push(v: number): void {
    if (this.n === this.#a.length) {
      const b = new Float64Array(this.#a.length * 2);
      b.set(this.#a);
      this.#a = b;
    }
    this.#a[this.n++] = v;
  }
  summary(): { n: number; p50: number; p99: number; p999: number; max: number } {
    const s = this.#a.slice(0, this.n).sort();
    const at = (p: number): number => (s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN);
    return { n: s.length, p50: at(50), p99: at(99), p999: at(99.9), max: s.length ? s[s.length - 1]! : NaN };
  }
}

let on = false;
let up = new Samples();
let downMsg = new Samples();
let tick = new Samples();
let sendOffset = new Samples();
let late = new Samples();
const now = (): number => performance.now();

// Datagrams in (switch → us) and bot messages in: time the whole synchronous handling.
const dgramProto = dgram.Socket.prototype as unknown as { emit: (...a: unknown[]) => boolean };
const dgramEmit = dgramProto.emit;
dgramProto.emit = function (this: unknown, ...args: unknown[]): boolean {
  if (!on || args[0] !== 'message') return dgramEmit.apply(this, args);
  const t = now();
  const r = dgramEmit.apply(this, args);
  up.push(now() - t);
  return r;
};
const wsProto = WebSocket.prototype as unknown as { emit: (...a: unknown[]) => boolean };
const wsEmit = wsProto.emit;
wsProto.emit = function (this: unknown, ...args: unknown[]): boolean {
  if (!on || args[0] !== 'message') return wsEmit.apply(this, args);
  const t = now();
  const r = wsEmit.apply(this, args);
  downMsg.push(now() - t);
  return r;
};

/** The bridge's clock, with each stream's tick work timed and each slot's start noted. */
function timedClock(): MediaClock {
  let tickStart = 0;
  let lastEnd = 0;
  const real = createMediaClock({
    groups: GROUPS,
    onTick: (l) => {
      // runs before each slot's streams: closes the previous slot's span
      if (on) {
        late.push(l);
        if (lastEnd > tickStart) sendOffset.push(lastEnd - tickStart);
      }
      tickStart = now();
      lastEnd = 0;
    },
  });
  return {
    add(listener) {
      return real.add((missed) => {
        if (!on) return listener(missed);
        const t = now();
        listener(missed);
        const e = now();
        tick.push(e - t);
        lastEnd = e;
      });
    },
    get size() {
      return real.size;
    },
    stop: () => real.stop(),
  };
}

interface Target {
  close(): Promise<void>;
}

async function startBridge(): Promise<Target> {
  const clock = timedClock();
  const bridge = createBotBridge({
    logger: silentLogger(),
    ports: createPortPool(BASE, BASE + 2 * N + 1),
    clock,
    settings: { ...DEFAULT_BOT_SETTINGS, silenceTimeoutMs: 30_000 },
  });
  const aborts: AbortController[] = [];
  const legs: Promise<BotLegResult>[] = [];
  let unicasts = 0;
  let allUp: () => void = () => undefined;
  const ready = new Promise<void>((r) => (allUp = r));
  for (let i = 0; i < N; i++) {
    const abort = new AbortController();
    aborts.push(abort);
    const call: BotCall = {
      callId: `c${i}`, uuid: `u${i}`, did: '+910', caller: '+911', orgId: null,
      logger: silentLogger(), now: () => new Date(), emit: () => undefined, pressed: () => undefined,
      channel: {
        variables: {}, signal: abort.signal, onEvent: () => () => undefined, subscribe: async () => undefined,
        // The fake switch (parent) already listens on every switch port.
        startUnicast: async () => void (++unicasts === N && allUp()),
      },
    };
    const target = { id: null, name: 'b', wsUrl: `ws://127.0.0.1:${BOT_PORT}/s${i}`, headers: {}, dialect: 'native' as const, audioFormat: FORMAT, systemPrompt: null, language: 'en', openingText: null, connectTimeoutMs: 10_000 };
    legs.push(bridge.run(call, target));
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5)); // do not open every socket in one turn
  }
  await ready;
  return {
    async close() {
      for (const a of aborts) a.abort();
      const results = await Promise.all(legs);
      clock.stop();
      const failed = results.filter((r) => r.end.kind === 'failed');
      if (failed.length) process.stderr.write(`bot-server: ${failed.length} legs failed, e.g. ${JSON.stringify(failed[0]!.end)}\n`);
    },
  };
}

async function startRelay(): Promise<Target> {
  const socks: Array<{ udp: Socket; ws: WebSocket }> = [];
  const opening: Promise<void>[] = [];
  for (let i = 0; i < N; i++) {
    const udp = createSocket('udp4');
    udp.on('error', () => undefined);
    // the same zero masking key as the bridge (src/bot/bot-socket.ts), so the baseline stays a floor
    const ws = new WebSocket(`ws://127.0.0.1:${BOT_PORT}/s${i}`, { perMessageDeflate: false, generateMask: zeroMask });
    ws.on('error', () => undefined);
    const fsPort = BASE + 2 * i + 1;
    udp.on('message', (m) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(m);
    });
    ws.on('message', (d) => udp.send(d as Buffer, fsPort, '127.0.0.1'));
    socks.push({ udp, ws });
    opening.push(new Promise<void>((r) => udp.bind(BASE + 2 * i, '127.0.0.1', () => r())));
    opening.push(new Promise<void>((r) => ws.once('open', () => r())));
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(opening);
  return {
    async close() {
      for (const s of socks) {
        s.ws.terminate();
        s.udp.close();
      }
    },
  };
}

const eld = monitorEventLoopDelay({ resolution: 1 });
let cpu0 = process.cpuUsage();
let t0 = now();
const target = mode === 'relay' ? await startRelay() : await startBridge();

createInterface({ input: process.stdin })
  .on('line', (line) => {
    const [cmd, arg] = line.trim().split(' ');
    if (cmd === 'MEASURE' && arg === 'start') {
      up = new Samples();
      downMsg = new Samples();
      tick = new Samples();
      sendOffset = new Samples();
      late = new Samples();
      eld.reset();
      eld.enable();
      cpu0 = process.cpuUsage();
      t0 = now();
      on = true;
      out('MEASURE ok');
    } else if (cmd === 'MEASURE') {
      on = false;
      eld.disable();
      const cpu = process.cpuUsage(cpu0);
      const wall = now() - t0;
      out(`MEASURE ${JSON.stringify({
        cpuPct: ((cpu.user + cpu.system) / 1000 / wall) * 100,
        cpuMs: (cpu.user + cpu.system) / 1000,
        wallMs: wall,
        upMs: up.summary(),
        downMsgMs: downMsg.summary(),
        tickMs: tick.summary(),
        sendOffsetMs: sendOffset.summary(),
        lateMs: late.summary(),
        eldP99Ms: eld.percentile(99) / 1e6,
        eldMaxMs: eld.max / 1e6,
      })}`);
    } else if (cmd === 'QUIT') void quit();
  })
  .on('close', () => void quit());

async function quit(): Promise<never> {
  setTimeout(() => process.exit(0), 3000).unref();
  await target.close().catch(() => undefined);
  out('QUIT ok');
  process.exit(0);
}
out('READY');
