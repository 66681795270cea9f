/**
 * A call's "gone" signal: what call code uses of an AbortSignal (`aborted`, `reason`, and `abort`
 * listeners), without an EventTarget. Every call has one, and a Node AbortController plus the Event
 * its `abort()` dispatches cost more than the rest of the hangup handling together. `CancelSignal` is
 * the shape waits accept, so a real AbortSignal fits wherever one is handy (tests, timeouts).
 */

/** A function, or an object with `handleEvent` (as for EventTarget). Called without arguments. */
export type AbortListener = (() => void) | { handleEvent(): void };

export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: AbortListener, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: AbortListener): void;
}

export class CallSignal implements CancelSignal {
  #aborted = false;
  #reason: unknown = undefined;
  #listeners: AbortListener[] = [];
  readonly #onListenerError: (err: unknown) => void;

  /** `onListenerError`: a throwing listener is reported there and the others still run. */
  constructor(onListenerError: (err: unknown) => void = () => undefined) {
    this.#onListenerError = onListenerError;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** Listeners run once, in the order added; one added after the abort is never called (as with AbortSignal). */
  addEventListener(_type: 'abort', listener: AbortListener, _options?: { once?: boolean }): void {
    if (this.#aborted || this.#listeners.includes(listener)) return;
    this.#listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: AbortListener): void {
    const i = this.#listeners.indexOf(listener);
    if (i !== -1) this.#listeners.splice(i, 1);
  }

  /** The first call wins; later ones change nothing. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#reason = reason;
    this.#aborted = true;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const l of listeners) {
      try {
        if (typeof l === 'function') l();
        else l.handleEvent();
      } catch (err) {
        this.#onListenerError(err);
      }
    }
  }
}
