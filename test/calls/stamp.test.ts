import { describe, expect, it } from 'vitest';
import { stamp, type CallSession } from '../../src/call/session.ts';

describe('stamp', () => {
  it('equals toISOString for every millisecond, within a second and across seconds, minutes and years', () => {
    let t = Date.parse('2026-12-31T23:59:58.990Z');
    const s = { deps: { now: () => new Date(t) } } as unknown as CallSession;
    const steps = [0, 0, 1, 7, 2, 1000, 3, 998, 1, 1, 60_000, 123, -5, 86_400_000];
    for (const d of steps) {
      t += d;
      expect(stamp(s)).toBe(new Date(t).toISOString());
    }
  });
});
