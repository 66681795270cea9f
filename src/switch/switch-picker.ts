/**
 * Which switch a placed call is dialled on (SWITCH_ORIGINATE_POLICY). Only connected switches are
 * candidates. `round_robin`: each in turn. `least_calls`: the one with the fewest calls this instance
 * runs or follows on it (inbound calls in the registry, placed calls in the call control); ties go round
 * robin, so an idle cluster still spreads its first calls.
 */
import type { SwitchLink } from './switches.ts';

export type OriginatePolicy = 'least_calls' | 'round_robin';

export interface SwitchPicker {
  /** A connected switch, or null when none is. */
  pick(links: readonly SwitchLink[]): SwitchLink | null;
}

export function createSwitchPicker(policy: OriginatePolicy, load: (switchId: string) => number): SwitchPicker {
  /** Where the next turn starts, as an index into the configured list. */
  let next = 0;
  return {
    pick(links) {
      const n = links.length;
      let chosen = -1;
      let least = Number.POSITIVE_INFINITY;
      for (let k = 0; k < n; k++) {
        const i = (next + k) % n;
        const link = links[i]!;
        if (!link.connected) continue;
        if (policy === 'round_robin') {
          chosen = i;
          break;
        }
        const calls = load(link.id);
        if (calls < least) {
          least = calls;
          chosen = i;
        }
      }
      if (chosen < 0) return null;
      next = (chosen + 1) % n;
      return links[chosen]!;
    },
  };
}
