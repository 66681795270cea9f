/** Live calls of this controller instance (for /health, live status and tests that assert nothing is left). */
export interface CallRegistryEntry {
  callId: string;
  uuid: string;
  /** The switch the call is on (least_calls counts them); null or absent when unknown. */
  switchId?: string | null;
  orgId: string | null;
  startedAt: number;
  state: 'routing' | 'ivr' | 'bridging' | 'queue' | 'bot' | 'ending';
}

export interface CallRegistry {
  add(entry: CallRegistryEntry): void;
  get(uuid: string): CallRegistryEntry | undefined;
  remove(uuid: string): void;
  size(): number;
  list(): CallRegistryEntry[];
  /** Calls on this switch. */
  countOn(switchId: string): number;
}

export function createCallRegistry(): CallRegistry {
  const calls = new Map<string, CallRegistryEntry>();
  return {
    add: (e) => void calls.set(e.uuid, e),
    get: (uuid) => calls.get(uuid),
    remove: (uuid) => void calls.delete(uuid),
    size: () => calls.size,
    list: () => [...calls.values()],
    countOn(switchId) {
      let n = 0;
      for (const c of calls.values()) if (c.switchId === switchId) n++;
      return n;
    },
  };
}
