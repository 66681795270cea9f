import { describe, expect, it } from 'vitest';
import { stamp, type CallSession } from '../../src/call/session.ts';

describe('stamp', () => {
  it("is the session clock's time as an ISO string, read anew each time", () => {
    let t = Date.parse('2026-12-31T23:59:59.999Z');
    const s = { deps: { now: () => new Date(t) } } as unknown as CallSession;
    expect(stamp(s)).toBe('2026-12-31T23:59:59.999Z');
    t += 1;
    expect(stamp(s)).toBe('2027-01-01T00:00:00.000Z');
  });
});
