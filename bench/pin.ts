/**
 * "On one core": with ≥ 2 CPUs and taskset, the benchmark process (the load generator) runs on
 * CPU 0 and the system under test alone on CPU 1, so neither steals the other's core and the
 * scheduler never stacks them. BENCH_PIN=0 turns it off.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface Pinning {
  /** CPU for the system under test, when pinned. */
  readonly serverCpu: number | undefined;
  /** Wraps a command line so it runs on the server CPU (unchanged when not pinned). */
  wrap(argv: string[]): string[];
  /** Gives this process back its original CPU mask. */
  release(): void;
}

export function pinLoadGenerator(): Pinning {
  const none: Pinning = { serverCpu: undefined, wrap: (argv) => argv, release: () => undefined };
  if (process.env.BENCH_PIN === '0' || process.env.BENCH_BOT_PIN === '0' || availableParallelism() < 2) return none;
  try {
    const mask = execFileSync('taskset', ['-p', String(process.pid)], { encoding: 'utf8' }).trim().split(' ').pop()!;
    execFileSync('taskset', ['-a', '-p', '1', String(process.pid)], { stdio: 'ignore' });
    return {
      serverCpu: 1,
      wrap: (argv) => ['taskset', '-c', '1', ...argv],
      release: () => void execFileSync('taskset', ['-a', '-p', mask, String(process.pid)], { stdio: 'ignore' }),
    };
  } catch {
    return none;
  }
}
