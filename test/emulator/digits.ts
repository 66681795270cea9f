/** The channel's DTMF queue: apps wait on it with a timeout; a hangup wakes every waiter. */
export class DigitQueue {
  readonly #queue: string[] = [];
  #wake: (() => void) | undefined;

  push(digit: string): void {
    this.#queue.push(digit);
    this.#wake?.();
  }

  peek(): string | undefined {
    return this.#queue[0];
  }

  shift(): string | undefined {
    return this.#queue.shift();
  }

  clear(): void {
    this.#queue.length = 0;
  }

  /** Resolves when a digit is queued, `ms` passes, or `signal` aborts; true if a digit is there. */
  wait(ms: number, signal: AbortSignal): Promise<boolean> {
    if (this.#queue.length > 0) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.#wake = undefined;
        resolve(this.#queue.length > 0);
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.#wake = done;
    });
  }
}

/** Sleeps `ms` or until `signal` aborts; true if the full time passed. */
export function sleepUnless(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve(!signal.aborted);
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
