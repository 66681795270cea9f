import { describe, expect, it } from 'vitest';
import { timeOrderedUuid } from '../../src/db/time-ordered-id.ts';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedUuid (UUIDv7 for call log ids)', () => {
  it('is an RFC 9562 version-7 UUID whose first 48 bits are the milliseconds', () => {
    const at = Date.UTC(2026, 10, 25, 12, 0, 0, 123);
    const id = timeOrderedUuid(at);
    expect(id).toMatch(V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it('sorts by creation time as text (what keeps the primary-key index appending) and never repeats', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => timeOrderedUuid(1_790_000_000_000 + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 10; i < ids.length; i += 10) expect(ids[i - 1]! < ids[i]!).toBe(true);
  });
});
