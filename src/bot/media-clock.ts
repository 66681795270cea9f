/**
 * One 20 ms clock for every stream in the process (created in main.ts, not a module singleton).
 * Streams are spread over `groups` phase groups (default 4, i.e. 5 ms apart): each stream joins
 * the least-loaded group and is served once per period in its group's slot, so one timer firing
 * sends a fraction of the frames instead of every stream's in one burst.
 * Slots are scheduled against absolute times, so timer lateness never accumulates into drift;
 * after a stall (> 3 periods late) the clock resynchronises instead of sending a burst, and each
 * listener is told how many of its ticks were lost (`missed`), so it can drop the audio that
 * should have played meanwhile and return to real time.
 */
export type TickListener = (missed: number) => void;

export interface MediaClock {
  /** Call `listener` every period from its group's next slot on; returns the remover. */
  add(listener: TickListener): () => void;
  readonly size: number;
  /** Stops the timer (listeners stay registered but are no longer called). */
  stop(): void;
}

export interface MediaClockOptions {
  periodMs?: number;
  /** Phase groups per period (1 = every stream in one tick). */
  groups?: number;
  now?: () => number;
  /** Called before each slot is served, with how late it ran (ms) and its group, for metrics. */
  onTick?: (lateMs: number, group: number) => void;
}

/** A slot this many periods late means the process stalled: resync instead of catching up. */
const STALL_PERIODS = 3;

export function createMediaClock(o: MediaClockOptions = {}): MediaClock {
  const period = o.periodMs ?? 20;
  const groupCount = Math.max(1, Math.floor(o.groups ?? 4));
  const slotMs = period / groupCount;
  const now = o.now ?? (() => performance.now());
  const groups: Array<Set<TickListener>> = Array.from({ length: groupCount }, () => new Set());
  /** ticks lost by each group in the last stall, handed to its listeners on their next tick */
  const missed = new Array<number>(groupCount).fill(0);
  const groupOf = new Map<TickListener, number>();
  let size = 0;
  let timer: NodeJS.Timeout | null = null;
  /** absolute time of the next slot, and the group it serves */
  let due = 0;
  let slot = 0;
  let stopped = false;

  const schedule = (): void => {
    timer = setTimeout(fire, Math.max(0, Math.floor(due - now())));
  };
  const advance = (): void => {
    // next slot with someone in it (an empty group costs no wake-up)
    for (let i = 0; i < groupCount; i++) {
      slot = (slot + 1) % groupCount;
      due += slotMs;
      if (groups[slot]!.size > 0) return;
    }
  };
  const fire = (): void => {
    timer = null;
    if (size === 0 || stopped) return;
    const t = now();
    const late = t - due;
    o.onTick?.(late, slot);
    if (late > STALL_PERIODS * period) {
      const lost = Math.floor(late / period);
      for (let g = 0; g < groupCount; g++) missed[g]! += lost;
      due = t;
    }
    const k = missed[slot]!;
    missed[slot] = 0;
    for (const l of groups[slot]!) {
      try {
        l(k);
      } catch {
        // a listener's failure is its own stream's problem (listeners catch and end their stream)
      }
    }
    advance();
    schedule();
  };

  return {
    add(listener) {
      if (groupOf.has(listener)) return () => undefined;
      let g = 0;
      for (let i = 1; i < groupCount; i++) if (groups[i]!.size < groups[g]!.size) g = i;
      groups[g]!.add(listener);
      groupOf.set(listener, g);
      size++;
      if (!timer && !stopped) {
        slot = g;
        due = now() + period;
        missed.fill(0);
        schedule();
      }
      return () => {
        if (groupOf.get(listener) !== g) return;
        groupOf.delete(listener);
        groups[g]!.delete(listener);
        size--;
        if (size === 0 && timer) {
          clearTimeout(timer);
          timer = null;
        }
      };
    },
    get size() {
      return size;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
