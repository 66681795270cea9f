/**
 * Items written to the database together: the first one queued arms a `flushMs` timer, and once
 * `maxBatch` are waiting the batch goes on the next turn of the event loop instead. `flush` (given by
 * the owner) calls `take()` to receive the queued items; `take()` also disarms whatever was armed.
 */
export interface BatchQueue<T> {
  push(item: T): void;
  take(): T[];
}

export function createBatchQueue<T>(flush: () => void, o: { flushMs: number; maxBatch: number }): BatchQueue<T> {
  let items: T[] = [];
  let timer: NodeJS.Timeout | undefined;
  let immediate = false;
  return {
    push(item) {
      items.push(item);
      if (items.length >= o.maxBatch) {
        if (!immediate) {
          immediate = true;
          setImmediate(flush);
        }
      } else if (timer === undefined) timer = setTimeout(flush, o.flushMs);
    },
    take() {
      clearTimeout(timer);
      timer = undefined;
      immediate = false;
      const out = items;
      items = [];
      return out;
    },
  };
}
