/**
 * SocketHandoffs: a call on a sync socket waits (expect) for its second, async socket; the server offers
 * every new connection first. Each path ends with no waiter and no timer left behind.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HandoffTimeoutError, SocketHandoffs } from '../../src/esl/handoffs.ts';
import type { OutboundSession } from '../../src/esl/outbound-session.ts';

const UUID = '2aa6b619-1952-4ab7-8285-2bbb152bd3d3';

/** What SocketHandoffs reads of a session: its channel uuid and when its socket closes. */
function fakeSession(uuid = UUID): { session: OutboundSession; close(): void } {
  let close!: () => void;
  const closed = new Promise<void>((resolve) => (close = resolve));
  const logger = { warn: () => undefined };
  return { session: { uuid, closed, logger } as unknown as OutboundSession, close };
}

/** Whether a promise has settled (after the microtasks queued so far). */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

let handoffs: SocketHandoffs;
beforeEach(() => {
  vi.useFakeTimers();
  handoffs = new SocketHandoffs();
});
afterEach(() => {
  // Nothing left behind: no waiter, no pending timeout.
  expect(handoffs.size).toBe(0);
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

describe('SocketHandoffs', () => {
  it('an expected connection goes to its waiter, and the server holds it until the taker releases it', async () => {
    const h = handoffs.expect(UUID, 1_000);
    expect(handoffs.size).toBe(1);
    const second = fakeSession();
    const held = handoffs.offer(second.session);
    expect(held).toBeInstanceOf(Promise);
    await expect(h.session).resolves.toBe(second.session);
    expect(handoffs.size).toBe(0);
    expect(await settled(held!)).toBe(false);
    h.release();
    expect(await settled(held!)).toBe(true);
  });

  it('the server also lets go of a handed-off connection when its socket closes without a release', async () => {
    const h = handoffs.expect(UUID, 1_000);
    const second = fakeSession();
    const held = handoffs.offer(second.session)!;
    await h.session;
    second.close();
    expect(await settled(held)).toBe(true);
  });

  it('a connection nobody waits for is a new call (undefined), also one for another channel', async () => {
    expect(handoffs.offer(fakeSession().session)).toBeUndefined();
    const h = handoffs.expect(UUID, 1_000);
    expect(handoffs.offer(fakeSession('00000000-0000-0000-0000-000000000000').session)).toBeUndefined();
    expect(handoffs.size).toBe(1);
    const mine = fakeSession();
    expect(handoffs.offer(mine.session)).toBeDefined();
    await expect(h.session).resolves.toBe(mine.session);
  });

  it('a connection is handed over once: the next one for the same channel is a new call', async () => {
    const h = handoffs.expect(UUID, 1_000);
    expect(handoffs.offer(fakeSession().session)).toBeDefined();
    await h.session;
    expect(handoffs.offer(fakeSession().session)).toBeUndefined();
  });

  it('cancel: the waiter and its timer are gone; a connection for it arriving later is ended, not a second call', async () => {
    const h = handoffs.expect(UUID, 1_000);
    h.cancel();
    expect(handoffs.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    // The call went on over its first socket: the late second socket is let go at once (the server exits it).
    const late = handoffs.offer(fakeSession().session);
    expect(late).toBeDefined();
    expect(await settled(late!)).toBe(true);
    // Only once: a later connection for the channel is a call again.
    expect(handoffs.offer(fakeSession().session)).toBeUndefined();
    expect(await settled(h.session)).toBe(false);
    h.cancel();
  });

  it('a connection for a hand-off given up on more than 10 minutes ago is a new call', async () => {
    const h = handoffs.expect(UUID, 1_000);
    h.cancel();
    vi.setSystemTime(Date.now() + 10 * 60_000 + 1);
    expect(handoffs.offer(fakeSession().session)).toBeUndefined();
  });

  it('timeout: the wait rejects with HandoffTimeoutError and leaves nothing; a late connection is ended, not a new call', async () => {
    const h = handoffs.expect(UUID, 500);
    const outcome = h.session.catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(499);
    expect(await settled(h.session)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const err = await outcome;
    expect(err).toBeInstanceOf(HandoffTimeoutError);
    expect((err as Error).name).toBe('HandoffTimeoutError');
    expect((err as Error).message).toContain(UUID);
    expect(handoffs.size).toBe(0);
    const late = handoffs.offer(fakeSession().session);
    expect(late).toBeDefined();
    expect(await settled(late!)).toBe(true);
    expect(handoffs.offer(fakeSession('00000000-0000-0000-0000-000000000000').session)).toBeUndefined();
  });

  it('a newer wait for the same channel replaces the older: the older one times out alone, cancel of it touches nothing', async () => {
    const older = handoffs.expect(UUID, 100);
    const olderOutcome = older.session.catch((err: unknown) => err);
    const newer = handoffs.expect(UUID, 1_000);
    await vi.advanceTimersByTimeAsync(100);
    expect(await olderOutcome).toBeInstanceOf(HandoffTimeoutError);
    older.cancel();
    expect(handoffs.size).toBe(1);
    const second = fakeSession();
    expect(handoffs.offer(second.session)).toBeDefined();
    await expect(newer.session).resolves.toBe(second.session);
    // Cancelling after the hand-off is a no-op too.
    newer.cancel();
    expect(handoffs.size).toBe(0);
  });
});
