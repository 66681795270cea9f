/**
 * One 20 ms clock for every stream in the process (created in main.ts, not a module singleton).
 * Ticks are scheduled against absolute times, so timer lateness never accumulates into drift;
 * after a stall (> 3 periods late) it resynchronises instead of sending a burst.
 */
export type TickListener = () => void;

export interface MediaClock {
  /** Call `listener` every period from the next tick on; returns the remover. */
  add(listener: TickListener): () => void;
  readonly size: number;
  /** Stops the timer (listeners stay registered but are no longer called). */
  stop(): void;
}

export interface MediaClockOptions {
  periodMs?: number;
  now?: () => number;
  /** Called with how late each tick ran (ms), for metrics. */
  onTick?: (lateMs: number) => void;
}

export function createMediaClock(o: MediaClockOptions = {}): MediaClock {
  const period = o.periodMs ?? 20;
  const now = o.now ?? (() => performance.now());
  const listeners = new Set<TickListener>();
  let timer: NodeJS.Timeout | null = null;
  let due = 0;
  let stopped = false;

  const schedule = (): void => {
    timer = setTimeout(fire, Math.max(0, Math.floor(due - now())));
  };
  const fire = (): void => {
    timer = null;
    if (listeners.size === 0 || stopped) return;
    const t = now();
    o.onTick?.(t - due);
    if (t - due > 3 * period) due = t;
    for (const l of listeners) {
      try {
        l();
      } catch {
        // a listener's failure is its own stream's problem (listeners catch and end their stream)
      }
    }
    due += period;
    schedule();
  };

  return {
    add(listener) {
      listeners.add(listener);
      if (!timer && !stopped) {
        due = now() + period;
        schedule();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearTimeout(timer);
          timer = null;
        }
      };
    },
    get size() {
      return listeners.size;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
