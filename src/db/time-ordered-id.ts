import { randomUUID } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Rows keyed by it are inserted
 * in time order, so the primary-key index of a busy table (call_logs) grows at its right edge: one
 * hot page per batch of inserts instead of one random page per row (fewer pages for every WAL commit
 * to write and every checkpoint to copy). Same text form as randomUUID(); the API treats it as opaque.
 * Built from a v4 (Node keeps a cache of their entropy): its first 48 bits become the time, its
 * version nibble a 7; the variant bits and the other 74 random bits stay.
 */
export function timeOrderedUuid(nowMs: number): string {
  const ms = Math.max(0, Math.floor(nowMs)).toString(16).padStart(12, '0').slice(-12);
  return `${ms.slice(0, 8)}-${ms.slice(8)}-7${randomUUID().slice(15)}`;
}
