/**
 * A tiny typed listener registry: listeners live in per-kind lists (a listener at most once, as in a
 * Set) and are removed by reference (the returned function or `delete`). A throwing listener is
 * logged, never allowed to break frame dispatch.
 */
import type { Logger } from '../runtime/logger.ts';
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
  /**
   * Per kind, an array replaced (never changed in place) on add/delete, so `emit` walks a snapshot
   * without copying it per frame: a listener added or removed while emitting takes effect next time.
   */
  readonly #lists = new Map<keyof M, readonly AnyListener[]>();

  add<K extends keyof M>(kind: K, listener: M[K]): () => void {
    const list = this.#lists.get(kind) ?? [];
    if (!list.includes(listener)) this.#lists.set(kind, [...list, listener]);
    return () => this.delete(kind, listener);
  }

  delete<K extends keyof M>(kind: K, listener: M[K]): void {
    const list = this.#lists.get(kind);
    if (!list?.includes(listener)) return;
    if (list.length === 1) this.#lists.delete(kind);
    else this.#lists.set(kind, list.filter((l) => l !== listener));
  }

  count(kind: keyof M): number {
    return this.#lists.get(kind)?.length ?? 0;
  }

  emit<K extends keyof M>(kind: K, arg: Parameters<M[K]>[0], log: Logger): void {
    const list = this.#lists.get(kind);
    if (!list) return;
    for (const listener of list) {
      try {
        (listener as (a: Parameters<M[K]>[0]) => void)(arg);
      } catch (error) {
        log.error({ err: error, kind: String(kind) }, 'esl listener threw');
      }
    }
  }
}
