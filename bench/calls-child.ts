import { trackChild } from './child-reaper.ts';
import type { CompiledEntries } from './compiled.ts';
import type { Pinning } from './pin.ts';
/**
 * Parent side of bench/calls-server.ts: spawn, wait for READY, one request line → one answer line,
 * every wait bounded, and the child killed when the bench exits (however it exits).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServerStats {
  cpu: NodeJS.CpuUsage;
  open: number;
}
export type ServerMemory = NodeJS.MemoryUsage & { open: number };
export interface LoopStats {
  /** DTMF → next command measured inside the server (data event → write on that socket), ms. */
  inProcSamples: number;
  inProcP50Ms: number;
  inProcP99Ms: number;
  inProcMaxMs: number;
  eldP50Ms: number;
  eldP99Ms: number;
  eldMaxMs: number;
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
  /** Mark-compact / incremental marking pauses (not scavenges). */
  gcMajorCount: number;
  gcMajorMaxMs: number;
}

export interface BenchChild {
  readonly kind: 'controller' | 'minimal';
  readonly port: number;
  readonly destination: string;
  stats(): Promise<ServerStats>;
  memory(): Promise<ServerMemory>;
  mode(mode: 'quick' | 'menu'): Promise<void>;
  /** Event-loop delay and GC pauses of the server between `loopStart` and `loopStop`. */
  loopStart(): Promise<void>;
  loopStop(): Promise<LoopStats>;
  /** A CPU profile of the server between the two calls, written to `file`. */
  profStart(): Promise<void>;
  profStop(file: string): Promise<void>;
  stop(): Promise<void>;
}


export async function startBenchChild(compiled: CompiledEntries, pin: Pinning, kind: 'controller' | 'minimal', o: { timeoutMs?: number } = {}): Promise<BenchChild> {
  const [cmd, ...argv] = pin.wrap([process.execPath, '--expose-gc', ...compiled.entry('bench/calls-server.ts'), kind]);
  const child = spawn(cmd!, argv, {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  trackChild(child);
  const waiting: Array<{ prefix: string; resolve: (rest: string) => void }> = [];
  let ready: ((l: string) => void) | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('READY ')) return ready?.(line);
    const i = waiting.findIndex((w) => line.startsWith(`${w.prefix} `));
    if (i !== -1) waiting.splice(i, 1)[0]!.resolve(line.slice(line.indexOf(' ') + 1));
  });
  const timeoutMs = o.timeoutMs ?? 30_000;
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${kind} server exited (${code})`))));
  exited.catch(() => undefined);
  const bounded = <T>(what: string, p: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${kind} server: no answer to ${what} in ${timeoutMs} ms`)), timeoutMs)));
    return Promise.race([p, t, exited]).finally(() => clearTimeout(timer));
  };
  const line = await bounded('READY', new Promise<string>((resolve) => (ready = resolve)));
  const [, port = '0', destination = ''] = line.split(' ');
  const ask = (cmd: string, prefix: string): Promise<string> =>
    bounded(cmd, new Promise<string>((resolve) => {
      waiting.push({ prefix, resolve });
      child.stdin!.write(`${cmd}\n`);
    }));
  return {
    kind,
    port: Number(port),
    destination,
    stats: async () => JSON.parse(await ask('STATS', 'STATS')) as ServerStats,
    memory: async () => JSON.parse(await ask('MEM', 'MEM')) as ServerMemory,
    mode: async (m) => void (await ask(`MODE ${m}`, 'MODE')),
    loopStart: async () => void (await ask('LOOP start', 'LOOP')),
    profStart: async () => void (await ask('PROF start', 'PROF')),
    profStop: async (file) => void (await ask(`PROF stop ${file}`, 'PROF')),
    loopStop: async () => JSON.parse(await ask('LOOP stop', 'LOOP')) as LoopStats,
    async stop() {
      if (child.exitCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin!.write('QUIT\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
