import type { ChildProcess } from 'node:child_process';

/**
 * Bench children must never outlive the bench: every tracked child is killed when this process
 * exits or is interrupted. (Process-wide by nature, hence the module-level set.)
 */
const live = new Set<ChildProcess>();
let hooked = false;

export function trackChild(child: ChildProcess): void {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.once(sig, () => {
        for (const c of live) c.kill('SIGKILL');
        process.exit(130);
      });
    }
  }
  live.add(child);
  child.on('exit', () => live.delete(child));
}
