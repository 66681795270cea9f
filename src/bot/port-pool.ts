/**
 * UDP ports for unicast, from a configured range, as pairs: the even port P is ours (FreeSWITCH
 * sends the caller's audio to it), P+1 is the `local-port` FreeSWITCH binds to receive the bot's
 * audio. Ports are handed out round-robin, so a pair just released (FreeSWITCH may still hold
 * P+1 until its current app ends) is the last to be reused.
 */
export interface PortPair {
  /** ours: remote-port in the unicast command */
  local: number;
  /** FreeSWITCH's: local-port in the unicast command */
  switch: number;
}

export interface PortPool {
  acquire(): PortPair | null;
  release(pair: PortPair): void;
  readonly inUse: number;
  readonly capacity: number;
}

export function createPortPool(min: number, max: number): PortPool {
  const first = min % 2 === 0 ? min : min + 1;
  const capacity = Math.max(0, Math.floor((max - first + 1) / 2));
  const used = new Set<number>();
  let cursor = 0;
  return {
    capacity,
    get inUse() {
      return used.size;
    },
    acquire() {
      for (let i = 0; i < capacity; i++) {
        const slot = (cursor + i) % capacity;
        if (used.has(slot)) continue;
        used.add(slot);
        cursor = (slot + 1) % capacity;
        return { local: first + slot * 2, switch: first + slot * 2 + 1 };
      }
      return null;
    },
    release(pair) {
      used.delete((pair.local - first) / 2);
    },
  };
}
