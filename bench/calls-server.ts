/**
 * Child process for the call benchmarks, so the server under test has a core of its own:
 *   node --import tsx --expose-gc bench/calls-server.ts controller|minimal
 * `controller`: the real call controller (createCallServer) over a temp SQLite database with a
 * published two-level IVR (DID → Main: 2 → Nested: 1 → hangup), configured through the API.
 * `minimal`: the baseline responder (bench/calls-minimal.ts).
 * Prints `READY <port> <did>`, then answers one line per stdin line:
 *   STATS → cpu time and open connections; MEM → memory after forced GC; MODE quick|menu; QUIT;
 *   LOOP start|stop → event-loop delay and GC pauses between the two (to explain latency tails);
 *   PROF start | PROF stop <file> → a V8 CPU profile of just that window (.cpuprofile).
 * Exits when stdin closes (the parent died).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { Server, type Socket } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { createTestApi } from '../test/helpers/api.ts';
import { createCallServer } from '../src/switch/call-server.ts';
import { createCallLogWriter } from '../src/call/call-log.ts';
import { createCallEventBus } from '../src/domain/call-events.ts';
import { createCallRegistry } from '../src/call/registry.ts';
import { createAsyncSnapshotReader } from '../src/publish/reader.ts';
import { silentLogger } from '../src/runtime/logger.ts';
import { createMaskingLookup } from '../src/services/masking/lookup.ts';
import { createContactLookup } from '../src/services/contacts/lookup.ts';
import { createWebhookOutbox } from '../src/services/webhooks/outbox.ts';
import { startMinimalResponder, type MinimalMode } from './calls-minimal.ts';

export const BENCH_DID = '+918065978001';

interface Target {
  port: number;
  open(): number;
  setMode(mode: MinimalMode): void;
  close(): Promise<void>;
}

async function startController(): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-calls-'));
  const api = createTestApi({}, { DATA_DIR: dataDir });
  const org = await api.org('Bench');
  const req = async <T = { id: string }>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await api.call(method, path, { token: org.token, body });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  const nested = await req('POST', '/api/v1/ivrs', { name: 'Nested', extension: '7102', timeout: 1, max_retries: 2 });
  await req('PUT', `/api/v1/ivrs/${nested.id}/menu`, { options: [{ digit: '1', action_type: 'hangup', action_destination: null }] });
  const main = await req('POST', '/api/v1/ivrs', { name: 'Main', extension: '7101', timeout: 1, max_retries: 2 });
  await req('PUT', `/api/v1/ivrs/${main.id}/menu`, {
    options: [
      { digit: '2', action_type: 'ivr', action_destination: nested.id },
      { digit: '0', action_type: 'hangup', action_destination: null },
    ],
  });
  const did = await req('POST', '/api/v1/dids', { number: BENCH_DID, assign: true });
  await req('PUT', `/api/v1/dids/${did.id}`, { routing_type: 'ivr', routing_destination: main.id });
  await req('POST', `/api/v1/ivrs/${main.id}/publish`);

  const logger = silentLogger();
  const registry = createCallRegistry();
  // Wired as src/main.ts wires it: the webhook outbox listens on the bus (every call event is offered
  // to it, here for an org with no endpoints) and every call is checked against live masking sessions.
  const bus = createCallEventBus();
  createWebhookOutbox({ db: api.deps.adb, logger }).attach(bus);
  const server = await createCallServer({
    host: '127.0.0.1',
    port: 0,
    logger,
    commandTimeoutMs: 5000,
    deps: {
      adb: api.deps.adb,
      logger,
      bus,
      registry,
      callLogs: createCallLogWriter(api.deps.adb, logger),
      snapshots: createAsyncSnapshotReader(api.deps.adb),
      settings: { externalGateway: 'pstn', ringTimeoutS: 20, defaultCountryCode: '91', maxIvrEntries: 10, foreverS: 3600, maxTalkS: 4 * 3600 },
      now: () => new Date(),
      maskingLookup: createMaskingLookup(api.deps.adb, () => new Date()),
      contactLookup: createContactLookup(api.deps.adb),
    },
  });
  return {
    port: server.address().port,
    open: () => server.connectionCount,
    setMode: () => undefined,
    async close() {
      await server.close();
      api.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startMinimal(): Promise<Target> {
  const r = await startMinimalResponder('quick');
  const addr = r.server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    open: r.open,
    setMode: (m) => (r.mode = m),
    close: () => new Promise((resolve) => r.server.close(() => resolve())),
  };
}

async function memory(): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage();
}

/**
 * DTMF → next command inside this process: from the socket's 'data' event that carries the key (the held
 * play_and_get_digits' EXECUTE_COMPLETE, with a DTMF event before it when the server subscribed to those)
 * to the next write on that socket. What the wire figure adds to this is the kernel, the wake-ups of
 * both processes and the host's scheduling of its vCPUs. Each accepted socket gets a first 'data'
 * listener and its own `write` wrapper (bench child only; nothing on the shared prototypes, whose
 * hot paths every socket and stream goes through).
 */
function dtmfTimer(): { start(): void; stop(): number[] } {
  let samples: number[] = [];
  let on = false;
  const serverEmit = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, name: string | symbol, ...args: unknown[]): boolean {
    if (name === 'connection') watch(args[0] as Socket);
    return (serverEmit as (...a: unknown[]) => boolean).call(this, name, ...args);
  } as typeof serverEmit;
  const watch = (socket: Socket): void => {
    let dtmfAt = -1;
    socket.prependListener('data', (chunk: Buffer) => {
      if (on && chunk.includes('Application: play_and_get_digits')) dtmfAt = performance.now();
    });
    const write = socket.write;
    socket.write = function (this: Socket, ...args: unknown[]): boolean {
      if (dtmfAt >= 0) {
        samples.push(performance.now() - dtmfAt);
        dtmfAt = -1;
      }
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    } as typeof write;
  };
  return {
    start() {
      samples = [];
      on = true;
    },
    stop() {
      on = false;
      return samples;
    },
  };
}

/** Event-loop delay and GC pauses while a latency window is open. */
function loopMonitor(): { start(): void; stop(): Record<string, number> } {
  const eld = monitorEventLoopDelay({ resolution: 1 });
  const dtmf = dtmfTimer();
  let gcs: number[] = [];
  let majors: number[] = [];
  let on = false;
  new PerformanceObserver((list) => {
    if (!on) return;
    for (const e of list.getEntries()) {
      gcs.push(e.duration);
      // detail.kind: 1 minor (scavenge), 2 major (mark-compact), 4 incremental marking, 8 weak callbacks.
      if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind !== 1) majors.push(e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  return {
    start() {
      gcs = [];
      majors = [];
      eld.reset();
      eld.enable();
      dtmf.start();
      on = true;
    },
    stop() {
      on = false;
      eld.disable();
      const inProc = dtmf.stop().sort((a, b) => a - b);
      const q = (p: number): number => inProc[Math.min(inProc.length - 1, Math.floor(p * inProc.length))] ?? 0;
      const ms = (ns: number): number => ns / 1e6;
      return {
        inProcSamples: inProc.length,
        inProcP50Ms: q(0.5),
        inProcP99Ms: q(0.99),
        inProcMaxMs: inProc.at(-1) ?? 0,
        eldP50Ms: ms(eld.percentile(50)),
        eldP99Ms: ms(eld.percentile(99)),
        eldMaxMs: ms(eld.max),
        gcCount: gcs.length,
        gcTotalMs: gcs.reduce((a, b) => a + b, 0),
        gcMaxMs: Math.max(0, ...gcs),
        gcMajorCount: majors.length,
        gcMajorMaxMs: Math.max(0, ...majors),
      };
    },
  };
}

const kind = process.argv[2] ?? 'controller';
const loop = loopMonitor();
let inspector: Session | undefined;
const target = kind === 'minimal' ? await startMinimal() : await startController();
const out = (line: string): void => void process.stdout.write(`${line}\n`);

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [cmd, arg] = line.trim().split(' ');
  void (async () => {
    if (cmd === 'STATS') out(`STATS ${JSON.stringify({ cpu: process.cpuUsage(), open: target.open() })}`);
    else if (cmd === 'MEM') out(`MEM ${JSON.stringify({ ...(await memory()), open: target.open() })}`);
    else if (cmd === 'LOOP') {
      if (arg === 'start') loop.start();
      out(`LOOP ${JSON.stringify(arg === 'start' ? {} : loop.stop())}`);
    } else if (cmd === 'PROF') {
      if (arg === 'start') {
        inspector = new Session();
        inspector.connect();
        await inspector.post('Profiler.enable');
        await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
        await inspector.post('Profiler.start');
      } else if (inspector) {
        const { profile } = await inspector.post('Profiler.stop');
        writeFileSync(line.trim().split(' ').slice(2).join(' '), JSON.stringify(profile));
        inspector.disconnect();
        inspector = undefined;
      }
      out('PROF ok');
    } else if (cmd === 'MODE') {
      target.setMode(arg === 'menu' ? 'menu' : 'quick');
      out('MODE ok');
    } else if (cmd === 'QUIT') {
      await quit();
    }
  })();
});
lines.on('close', () => void quit());

/** Close the server (bounded), remove the temp database, exit. */
async function quit(): Promise<never> {
  setTimeout(() => process.exit(0), 3000).unref();
  await target.close().catch(() => undefined);
  out('QUIT ok');
  process.exit(0);
}
out(`READY ${target.port} ${BENCH_DID.slice(1)}`);
