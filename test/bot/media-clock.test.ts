/** The media clock's phase groups and stall resync, and play-out catching up after a stall (fake time). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMediaClock, type MediaClock } from '../../src/bot/media-clock.ts';
import { Playout } from '../../src/bot/playout.ts';

/** Fake time: `t` is what the clock's injected `now` reads; `step` moves it and the fake timers together. */
let t = 0;
const now = (): number => t;
const step = (ms: number): void => {
  for (let i = 0; i < ms; i++) {
    t += 1;
    vi.advanceTimersByTime(1);
  }
};
/** The process blocks for `ms`: time passes, no timer runs. */
const stall = (ms: number): void => {
  t += ms;
};

beforeEach(() => {
  vi.useFakeTimers();
  t = 1000;
});
afterEach(() => {
  vi.useRealTimers();
});

interface Call {
  id: number;
  at: number;
  missed: number;
}

function listen(clock: MediaClock, n: number): { calls: Call[]; offs: Array<() => void> } {
  const calls: Call[] = [];
  const offs = Array.from({ length: n }, (_, id) => clock.add((missed) => calls.push({ id, at: t, missed })));
  return { calls, offs };
}

describe('media clock phase groups', () => {
  it('spreads streams over 4 groups 5 ms apart (least-loaded on add): each slot serves a quarter, each stream every 20 ms', () => {
    const clock = createMediaClock({ now, groups: 4 });
    const { calls, offs } = listen(clock, 8);
    step(200);
    const bySlot = new Map<number, number[]>();
    for (const c of calls) bySlot.set(c.at, [...(bySlot.get(c.at) ?? []), c.id]);
    // every firing serves 2 of the 8 streams, slots 5 ms apart
    expect([...bySlot.values()].every((ids) => ids.length === 2)).toBe(true);
    const slotTimes = [...bySlot.keys()];
    expect(slotTimes.slice(1).map((s, i) => s - slotTimes[i]!)).toEqual(slotTimes.slice(1).map(() => 5));
    // each stream: every 20 ms exactly (absolute time, no drift), about 10 ticks in 200 ms
    for (let id = 0; id < 8; id++) {
      const at = calls.filter((c) => c.id === id).map((c) => c.at);
      expect(at.length).toBeGreaterThanOrEqual(9);
      expect(at.slice(1).map((a, i) => a - at[i]!)).toEqual(at.slice(1).map(() => 20));
    }
    // streams 0 and 4 share a group (round-robin by load), 0 and 1 do not
    expect(calls.find((c) => c.id === 0)!.at).toBe(calls.find((c) => c.id === 4)!.at);
    expect(calls.find((c) => c.id === 1)!.at - calls.find((c) => c.id === 0)!.at).toBe(5);
    expect(calls.every((c) => c.missed === 0)).toBe(true);
    for (const off of offs) off();
    expect(clock.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a new stream joins the least-loaded group; a removed one frees its place; empty slots cost no wake-up', () => {
    const clock = createMediaClock({ now, groups: 4 });
    const { calls, offs } = listen(clock, 3);
    step(40);
    const slotsBefore = new Set(calls.map((c) => c.at)).size;
    // 3 streams in 3 groups: 3 firings per 20 ms, not 4
    expect(slotsBefore).toBeLessThanOrEqual(7);
    offs[1]!();
    const late: number[] = [];
    clock.add(() => late.push(t));
    step(40);
    const firstOf1 = calls.find((c) => c.id === 1)!.at;
    // the newcomer took stream 1's group (empty after the removal; group 3 was empty too, lower index wins)
    expect(late.length).toBeGreaterThanOrEqual(1);
    expect((late[0]! - firstOf1) % 20).toBe(0);
    clock.stop();
  });

  it('groups: 1 serves every stream in the same firing (the old behaviour)', () => {
    const clock = createMediaClock({ now, groups: 1 });
    const { calls } = listen(clock, 5);
    step(100);
    expect(new Set(calls.map((c) => c.at)).size).toBe(calls.length / 5);
    clock.stop();
  });

  it('after a stall it resyncs (no burst of catch-up ticks) and tells every stream how many ticks it lost', () => {
    const ticks: Array<{ late: number; group: number }> = [];
    const clock = createMediaClock({ now, groups: 4, onTick: (late, group) => ticks.push({ late, group }) });
    const { calls } = listen(clock, 4);
    step(60);
    const before = calls.length;
    stall(205);
    step(20);
    const after = calls.slice(before);
    // one tick per stream after the stall, not 10
    expect(after.map((c) => c.id).sort()).toEqual([0, 1, 2, 3]);
    expect(after.every((c) => c.missed === 10)).toBe(true);
    expect(ticks.some((k) => k.late > 200)).toBe(true);
    // back to steady 20 ms pacing, and the lost count is not repeated
    step(60);
    const later = calls.slice(before + 4);
    expect(later.every((c) => c.missed === 0)).toBe(true);
    for (let id = 0; id < 4; id++) {
      const at = calls.slice(before).filter((c) => c.id === id).map((c) => c.at);
      expect(at.slice(1).map((a, i) => a - at[i]!)).toEqual(at.slice(1).map(() => 20));
    }
    clock.stop();
  });

  it('a short lateness (< 3 periods) is caught up, not resynced: nothing is reported lost', () => {
    const clock = createMediaClock({ now, groups: 2 });
    const { calls } = listen(clock, 2);
    step(40);
    const before = calls.length;
    stall(30);
    step(50);
    expect(calls.slice(before).every((c) => c.missed === 0)).toBe(true);
    // the lost time is made up: 80 ms → 4 ticks per stream in total after `before`
    expect(calls.slice(before).filter((c) => c.id === 0).length).toBe(4);
    clock.stop();
  });
  it('time the event loop spends elsewhere (0-4 ms per tick) never adds up to drift: every tick lands on the 20 ms grid', () => {
    // A seeded jitter: after each tick the process is busy a few ms before the clock schedules the next.
    let seed = 7;
    const jitter = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % 5;
    };
    const at: number[] = [];
    const clock = createMediaClock({ now, groups: 1 });
    clock.add(() => {
      at.push(t);
      stall(jitter());
    });
    step(2000);
    clock.stop();
    expect(at.length).toBeGreaterThanOrEqual(95);
    const offGrid = at.map((a, i) => a - at[0]! - i * 20);
    // a drifting clock (the next tick 20 ms after this one finished) would be ~200 ms off by the end
    expect(Math.max(...offGrid.map(Math.abs))).toBeLessThanOrEqual(1);
  });
});

describe('play-out after a stall', () => {
  const frame = (v: number) => Buffer.alloc(4, v);

  it('next(missed) skips the frames that should have played, marks passed are still echoed in order', () => {
    const p = new Playout(4, 50, 0);
    p.push(Buffer.concat([frame(1), frame(2)]));
    p.mark('a');
    p.push(Buffer.concat([frame(3), frame(4), frame(5)]));
    p.mark('b');
    p.push(Buffer.concat([frame(6), frame(7), frame(8), frame(9), frame(10)]));
    p.mark('c');
    expect(p.next()).toMatchObject({ frame: frame(1), marks: [] });
    // 3 ticks lost: frames 2, 3, 4 are skipped, 5 plays now; a and b have been passed
    expect(p.next(3)).toMatchObject({ frame: frame(5), audio: true, marks: ['a', 'b'] });
    expect(p.skipped).toBe(3);
    expect(p.buffered).toBe(5);
    // more lost than queued: everything goes, c is echoed, silence
    expect(p.next(20)).toMatchObject({ audio: false, marks: ['c'] });
    expect(p.buffered).toBe(0);
    expect(p.skipped).toBe(8);
  });

  it('audio a real-time bot sent during the stall (read after the first tick) is skipped too, but only right after it', () => {
    const p = new Playout(4, 50, 0);
    p.push(frame(1));
    expect(p.next(10).audio).toBe(false); // 1 skipped, 9 owed
    p.push(Buffer.concat(Array.from({ length: 9 }, (_, i) => frame(20 + i)))); // the stall's backlog
    p.push(frame(99)); // on time
    expect(p.next()).toMatchObject({ frame: frame(99), audio: true });
    expect(p.skipped).toBe(10);
    // the debt does not outlive the stall: later audio is never eaten
    p.next(2);
    p.next();
    p.next();
    p.next();
    p.push(frame(7));
    expect(p.next()).toMatchObject({ frame: frame(7), audio: true });
  });

  it('with the clock: a 200 ms stall leaves no stale backlog, the queue returns to its depth before the stall', () => {
    const clock = createMediaClock({ now, groups: 4 });
    const p = new Playout(4, 500, 0);
    // a bot 100 ms ahead of real time (5 frames queued), then sending one frame per 20 ms
    p.push(Buffer.alloc(4 * 5, 1));
    const depth: number[] = [];
    const off = clock.add((missed) => {
      p.next(missed);
      depth.push(p.buffered);
    });
    const feed = setInterval(() => p.push(frame(2)), 20);
    step(100);
    const steady = depth.at(-1)!;
    stall(200);
    p.push(Buffer.alloc(4 * 10, 3)); // what the bot sent while we were blocked
    step(100);
    expect(depth.at(-1)!).toBeLessThanOrEqual(steady + 1);
    expect(p.skipped).toBeGreaterThanOrEqual(9);
    clearInterval(feed);
    off();
  });
});
