/**
 * A tiny typed listener registry: listeners live in Sets and are removed by reference (the returned
 * function or `delete`). A throwing listener is logged, never allowed to break frame dispatch.
 */
import type { Logger } from '../logging/logger.ts';
import type { EslEvent } from './event.ts';
import type { AuthRequestFrame, DisconnectNoticeFrame } from './parser.ts';

export interface FrameListeners {
  event: (event: EslEvent) => void;
  'disconnect-notice': (frame: DisconnectNoticeFrame) => void;
  'auth-request': (frame: AuthRequestFrame) => void;
  close: (info: { readonly reason: string; readonly error: Error | undefined }) => void;
}

type AnyListener = (arg: never) => void;

export class ListenerSet<M extends { [K in keyof M]: AnyListener }> {
  readonly #sets = new Map<keyof M, Set<AnyListener>>();

  add<K extends keyof M>(kind: K, listener: M[K]): () => void {
    let set = this.#sets.get(kind);
    if (!set) {
      set = new Set();
      this.#sets.set(kind, set);
    }
    set.add(listener);
    return () => this.delete(kind, listener);
  }

  delete<K extends keyof M>(kind: K, listener: M[K]): void {
    const set = this.#sets.get(kind);
    set?.delete(listener);
    if (set?.size === 0) this.#sets.delete(kind);
  }

  count(kind: keyof M): number {
    return this.#sets.get(kind)?.size ?? 0;
  }

  emit<K extends keyof M>(kind: K, arg: Parameters<M[K]>[0], log: Logger): void {
    const set = this.#sets.get(kind);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (a: Parameters<M[K]>[0]) => void)(arg);
      } catch (error) {
        log.error({ err: error, kind: String(kind) }, 'esl listener threw');
      }
    }
  }
}
