/**
 * Runs a switch benchmark's driver (a compiled bench/switch/*-driver.ts) inside a private network
 * namespace when it can (createNamespace below), hands it its config as JSON in
 * `envName`, and collects the `RESULT <json>` lines it prints, one per rung. The namespace and every
 * process left in it are removed at the end, pass or fail.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { trackChild } from '../child-reaper.ts';

export interface DriverRun<R> {
  readonly results: R[];
  /** The namespace's name, or undefined when the host's loopback was used. */
  readonly ns: string | undefined;
}

export async function runDriver<R>(o: { label: string; argv: string[]; envName: string; config: unknown }): Promise<DriverRun<R>> {
  const ns = createNamespace();
  const results: R[] = [];
  try {
    const cmd = ns ? ['ip', 'netns', 'exec', ns, ...o.argv] : o.argv;
    const driver = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, [o.envName]: JSON.stringify(o.config) } });
    trackChild(driver);
    createInterface({ input: driver.stdout! }).on('line', (line) => {
      if (line.startsWith('RESULT ')) results.push(JSON.parse(line.slice(7)) as R);
    });
    const code = await new Promise<number | null>((r) => driver.once('close', (c) => r(c)));
    if (code !== 0) process.stderr.write(`${o.label} bench: the driver exited with ${code}; printing the rungs it finished\n`);
  } finally {
    if (ns) deleteNamespace(ns);
  }
  return { results, ns };
}

/** A private netns with its loopback up, or undefined (not root, no iproute2): then the host's loopback. */
export function createNamespace(): string | undefined {
  const name = `sbbench-${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', name], { encoding: 'utf8' });
  if (add.status !== 0) {
    process.stderr.write(`switch bench: no network namespace (ip netns add: ${(add.stderr || add.error?.message || '').trim()}); using the host's 127.0.0.1, which collides with any other FreeSWITCH / controller on ports 5060/5080/8021/8084/8000\n`);
    return undefined;
  }
  const lo = spawnSync('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' });
  if (lo.status !== 0) {
    deleteNamespace(name);
    throw new Error(`switch bench: cannot bring lo up in ${name}: ${lo.stderr}`);
  }
  return name;
}

export function deleteNamespace(name: string): void {
  // Anything still in it is ours (the driver's children): end those pids, then the namespace.
  const pids = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).stdout?.split(/\s+/).filter(Boolean) ?? [];
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  spawnSync('ip', ['netns', 'del', name]);
}
