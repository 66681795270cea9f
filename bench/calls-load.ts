/**
 * The measurements against one server child (controller or minimal responder), driven by the
 * stand-in in this process: call setups per second with a concurrency window, and 1,000 parked
 * calls for memory per call and DTMF → next-command latency.
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { BenchChild, LoopStats } from './calls-child.ts';
import { quantile, runWindow, StandIn, type StandInCall, type WindowResult } from './calls-fs.ts';

export interface SetupResult extends WindowResult {
  /** CPU time (user + system) of the server process per completed call, µs. */
  readonly serverCpuUs: number;
  /** CPU time of the stand-in (this process) per completed call, µs. */
  readonly standInCpuUs: number;
}

const cpuUs = (c: NodeJS.CpuUsage): number => c.user + c.system;

/** Two-level IVR path for the controller: 2 → nested menu, 1 → hangup. */
export const MENU_PATH = ['2', '1'] as const;

export async function measureSetups(child: BenchChild, o: { total: number; window: number; warmup: number; profileFile?: string }): Promise<SetupResult> {
  const standIn = new StandIn(child.port, child.destination);
  const script = { pagd: MENU_PATH };
  const limits = { window: o.window, script, perCallTimeoutMs: 10_000 };
  const warm = await runWindow(standIn, { ...limits, total: o.warmup, deadlineMs: 20_000 });
  if (warm.failed > 0) throw new Error(`${child.kind}: ${warm.failed} warm-up calls failed (${warm.firstFailure})`);
  if (o.profileFile) await child.profStart();
  const s0 = await child.stats();
  const p0 = process.cpuUsage();
  const r = await runWindow(standIn, { ...limits, total: o.total, deadlineMs: 60_000 });
  const p1 = process.cpuUsage(p0);
  const s1 = await child.stats();
  if (o.profileFile) await child.profStop(o.profileFile);
  const n = Math.max(1, r.calls);
  return { ...r, serverCpuUs: (cpuUs(s1.cpu) - cpuUs(s0.cpu)) / n, standInCpuUs: cpuUs(p1) / n };
}

export interface ParkResult {
  readonly parked: number;
  /** Memory delta per parked call after forced GC, bytes. */
  readonly heapPerCall: number;
  readonly rssPerCall: number;
  readonly externalPerCall: number;
  /** EXECUTE_COMPLETE written → next command received, ms. */
  readonly latencies: readonly number[];
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly finished: number;
  readonly failed: number;
  /** The server's event loop and GC during the DTMF window. */
  readonly serverLoop: LoopStats;
  /** This process's (the stand-in's) event-loop delay during the window: its own share of the tail. */
  readonly standInLoopMaxMs: number;
  /** This process's GCs during the window (the stand-in allocates too; each one delays replies it times). */
  readonly standInGcCount: number;
  readonly standInGcMaxMs: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A full GC of this process (the stand-in's); the bench runs without --expose-gc, so it is exposed here. */
function collectStandInGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Resolves when `check()` holds; throws after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * Park `count` calls in the first menu (play_and_get_digits pending), measure memory against the
 * idle server, then press a key on each call in turn (`staggerMs` apart) and time the server's next
 * command; each call then parks in the second menu. Finally all are released and must end.
 */
export async function measureParked(child: BenchChild, o: { count: number; staggerMs: number; connectWindow: number; profileFile?: string }): Promise<ParkResult> {
  const standIn = new StandIn(child.port, child.destination);
  const parked = [new Set<StandInCall>(), new Set<StandInCall>()];
  const latencies: number[] = [];
  const calls: StandInCall[] = [];
  let finished = 0;
  let failed = 0;
  let measuring = true;
  const script = {
    pagd: ['hold', 'hold'] as const,
    onParked: (c: StandInCall, nth: number) => void parked[nth - 1]?.add(c),
    onReplyLatency: (ms: number) => void (measuring && latencies.push(ms)),
  };
  const mem0 = await child.memory();
  try {
    for (let i = 0; i < o.count; i++) {
      // A window on calls still being set up, so the server sees a steady arrival, not a SYN storm.
      if (calls.length - parked[0]!.size >= o.connectWindow) {
        await until('calls to park', () => calls.length - parked[0]!.size - failed < o.connectWindow, 10_000);
      }
      const c = standIn.placeCall(script);
      calls.push(c);
      void c.done.then((r) => (r.ok ? finished++ : failed++));
    }
    await until(`${o.count} parked calls`, () => parked[0]!.size + failed >= o.count, 20_000);
    if (failed > 0) throw new Error(`${child.kind}: ${failed} calls failed while parking`);
    await sleep(200);
    const mem1 = await child.memory();
    if (mem1.open < o.count) throw new Error(`${child.kind}: only ${mem1.open} connections open with ${o.count} parked`);

    // The server child had a forced GC (memory above); the stand-in gets one too, so that neither
    // process starts the timed window with a young generation already full of the parking phase's garbage.
    collectStandInGarbage();
    await sleep(300);
    const standInGcs: number[] = [];
    const gcWatch = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) standInGcs.push(e.duration);
    });
    gcWatch.observe({ entryTypes: ['gc'] });
    const eld = monitorEventLoopDelay({ resolution: 1 });
    await child.loopStart();
    if (o.profileFile) await child.profStart();
    eld.enable();
    for (const c of parked[0]!) {
      c.release(MENU_PATH[0]);
      await sleep(o.staggerMs);
    }
    await until('calls parked in the second menu', () => parked[1]!.size + failed >= o.count, 20_000);
    measuring = false;
    eld.disable();
    gcWatch.disconnect();
    const serverLoop = await child.loopStop();
    if (o.profileFile) await child.profStop(o.profileFile);
    for (const c of parked[1]!) c.release(MENU_PATH[1]);
    await until('parked calls to end', () => finished + failed >= o.count, 20_000);

    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      parked: parked[0]!.size,
      heapPerCall: (mem1.heapUsed - mem0.heapUsed) / o.count,
      rssPerCall: (mem1.rss - mem0.rss) / o.count,
      externalPerCall: (mem1.external - mem0.external) / o.count,
      latencies: sorted,
      p50Ms: quantile(sorted, 0.5),
      p99Ms: quantile(sorted, 0.99),
      maxMs: sorted.at(-1) ?? 0,
      finished,
      failed,
      serverLoop,
      standInLoopMaxMs: eld.max / 1e6,
      standInGcCount: standInGcs.length,
      standInGcMaxMs: Math.max(0, ...standInGcs),
    };
  } finally {
    for (const c of calls) c.destroy();
  }
}
