/**
 * Hand-offs between two sockets of one call on this controller. A call on a sync (`static`) socket
 * that needs events while an app runs (the AI bridge, a queue, a masked bridge) runs the `socket` app
 * with `async` towards this same server: FreeSWITCH opens a second connection for the same channel.
 * `expect(uuid)` waits for it; the server `offer`s every new connection first, and one that was
 * expected goes to its waiter instead of starting a new call.
 */
import type { OutboundSession } from './outbound-session.ts';

export class HandoffTimeoutError extends Error {
  override readonly name = 'HandoffTimeoutError' as const;
}

export interface Handoff {
  /** The second socket's session; rejects after the timeout. */
  readonly session: Promise<OutboundSession>;
  /** Stop waiting (the `socket` app failed); a connection arriving later starts a call as usual. */
  cancel(): void;
  /** The taker is done with the socket: the server ends it as it ends any call's (`exit`). */
  release(): void;
}

interface Waiter {
  readonly resolve: (session: OutboundSession) => void;
  readonly timer: NodeJS.Timeout;
  readonly released: Promise<void>;
}

/** How long a hand-off given up on is remembered: a socket for it arriving that late is refused. */
const GIVEN_UP_MS = 10 * 60_000;

export class SocketHandoffs {
  readonly #waiting = new Map<string, Waiter>();
  /** uuid → until when: hand-offs that timed out or were cancelled. */
  readonly #givenUp = new Map<string, number>();

  #giveUp(uuid: string): void {
    const now = Date.now();
    for (const [u, until] of this.#givenUp) if (until <= now) this.#givenUp.delete(u);
    this.#givenUp.set(uuid, now + GIVEN_UP_MS);
  }

  expect(uuid: string, timeoutMs: number): Handoff {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let waiter: Waiter | undefined;
    const session = new Promise<OutboundSession>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.#waiting.get(uuid) === waiter) {
          this.#waiting.delete(uuid);
          this.#giveUp(uuid);
        }
        reject(new HandoffTimeoutError(`no second socket for ${uuid} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiter = { resolve, timer, released };
      this.#waiting.set(uuid, waiter);
    });
    return {
      session,
      cancel: () => {
        if (!waiter || this.#waiting.get(uuid) !== waiter) return;
        clearTimeout(waiter.timer);
        this.#waiting.delete(uuid);
        this.#giveUp(uuid);
      },
      release,
    };
  }

  /**
   * A new connection: when a call waits for it, it is handed over and the promise resolves once the
   * taker releases it (or the socket closes). A socket for a hand-off given up on (it came too late)
   * resolves at once: the server ends it, and the call goes on over its first socket. Undefined when
   * nobody waits: a new call.
   */
  offer(session: OutboundSession): Promise<void> | undefined {
    const waiter = this.#waiting.get(session.uuid);
    if (!waiter) {
      const until = this.#givenUp.get(session.uuid);
      if (until === undefined || until <= Date.now()) return undefined;
      this.#givenUp.delete(session.uuid);
      session.logger.warn('a second socket came after its call gave up waiting; ending it');
      return Promise.resolve();
    }
    this.#waiting.delete(session.uuid);
    clearTimeout(waiter.timer);
    waiter.resolve(session);
    return Promise.race([waiter.released, session.closed.then(() => undefined)]);
  }

  /** Hand-offs still waiting (tests: nothing left behind). */
  get size(): number {
    return this.#waiting.size;
  }
}
