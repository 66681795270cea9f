import { randomFillSync } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Rows keyed by it are inserted
 * in time order, so the primary-key index of a busy table (call_logs) grows at its right edge: one
 * hot page per batch of inserts instead of one random page per row (fewer pages for every WAL commit
 * to write and every checkpoint to copy). Same text form as randomUUID(); the API treats it as opaque.
 */
export function timeOrderedUuid(nowMs: number): string {
  const random = randomFillSync(Buffer.allocUnsafe(10));
  const hex = (nowMs >= 0 ? Math.floor(nowMs) : 0).toString(16).padStart(12, '0').slice(-12);
  const r = random.toString('hex');
  const version = `7${r.slice(0, 3)}`;
  const variant = ((parseInt(r[3]!, 16) & 0x3) | 0x8).toString(16) + r.slice(4, 7);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${version}-${variant}-${r.slice(7, 19)}`;
}
