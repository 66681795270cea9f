import { trackChild } from './child-reaper.ts';
import type { CompiledEntries } from './compiled.ts';
/**
 * Parent side of bench/bot-server.ts: spawn (pinned to one CPU when asked), wait for READY, one
 * request line → one answer line, every wait bounded, the child killed when the bench exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}
export interface ChildStats {
  cpuPct: number;
  /** CPU time (user + system) of the child over the window, and the window */
  cpuMs: number;
  wallMs: number;
  upMs: Summary;
  downMsgMs: Summary;
  tickMs: Summary;
  sendOffsetMs: Summary;
  lateMs: Summary;
  eldP99Ms: number;
  eldMaxMs: number;
}

export interface BotChild {
  measureStart(): Promise<void>;
  measureStop(): Promise<ChildStats>;
  stop(): Promise<void>;
}


export async function startBotChild(compiled: CompiledEntries, args: string[], o: { cpu?: number; timeoutMs?: number } = {}): Promise<BotChild> {
  // BENCH_BOT_CPU_PROF=<dir>: write a V8 CPU profile of each child there (node --cpu-prof), to see where its time goes.
  const prof = process.env.BENCH_BOT_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_BOT_CPU_PROF}`] : [];
  const node = [process.execPath, ...prof, ...compiled.entry('bench/bot-server.ts'), ...args];
  const [cmd, ...argv] = o.cpu === undefined ? node : ['taskset', '-c', String(o.cpu), ...node];
  const child = spawn(cmd!, argv, { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'silent' } });
  trackChild(child);
  const waiting: Array<{ prefix: string; resolve: (rest: string) => void }> = [];
  let ready: (() => void) | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === 'READY') return ready?.();
    const i = waiting.findIndex((w) => line.startsWith(`${w.prefix} `));
    if (i !== -1) waiting.splice(i, 1)[0]!.resolve(line.slice(line.indexOf(' ') + 1));
  });
  const timeoutMs = o.timeoutMs ?? 30_000;
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code) => reject(new Error(`bot-server ${args[0]} exited (${code})`)));
    child.once('error', (err) => reject(err));
  });
  exited.catch(() => undefined);
  const bounded = <T>(what: string, p: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`bot-server ${args[0]}: no answer to ${what} in ${timeoutMs} ms`)), timeoutMs)));
    return Promise.race([p, t, exited]).finally(() => clearTimeout(timer));
  };
  const ask = (line: string, prefix: string): Promise<string> =>
    bounded(line, new Promise<string>((resolve) => {
      waiting.push({ prefix, resolve });
      child.stdin!.write(`${line}\n`);
    }));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin!.write('QUIT\n');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };
  try {
    await bounded('READY', new Promise<void>((resolve) => (ready = resolve)));
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    measureStart: async () => void (await ask('MEASURE start', 'MEASURE')),
    measureStop: async () => JSON.parse(await ask('MEASURE stop', 'MEASURE')) as ChildStats,
    stop,
  };
}
