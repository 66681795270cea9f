import type { Logger } from '../runtime/logger.ts';
import { createEslSwitchControl } from './switch-control.ts';
import { switchChanges, type SwitchControl } from '../publish/callcenter.ts';
import type { ConfigSnapshot } from '../publish/snapshot.ts';
import type { SwitchLink, Switches } from './switches.ts';

/**
 * Keeps every FreeSWITCH in step with what is published: each switch runs mod_callcenter with its own
 * queues, agents and tiers, so a publish is applied to each connected switch. While a switch's link
 * is down a publish does not try it (one clear warning instead); when the link comes up every
 * organization's published queues, agents and tiers are (re)applied to it, so a switch restart or a
 * publish made while it was away converges without anyone re-publishing.
 */
export function createSwitchSync(switches: Pick<Switches, 'list' | 'onState'>, allLatest: () => Promise<ConfigSnapshot[]> | ConfigSnapshot[], logger: Logger): SwitchControl {
  // api() rejects with an EslCommandError when FreeSWITCH answers -ERR: no reply text to inspect.
  const controls = new Map(switches.list.map((l) => [l.id, createEslSwitchControl((cmd) => l.client.api(cmd))]));
  const several = switches.list.length > 1;
  /** With several switches every message names its switch. */
  const named = (link: SwitchLink, message: string): string => (several ? `switch ${link.id}: ${message}` : message);

  switches.onState((link, state) => {
    if (state !== 'connected') return;
    const control = controls.get(link.id);
    if (!control) return;
    // Fire-and-forget from a state listener: applyPublished() reports -ERR in `errors`; anything else
    // (reading the snapshots) is logged here instead of becoming an unhandled rejection.
    void (async () => {
      const errors: string[] = [];
      for (const snap of await allLatest()) errors.push(...(await control.applyPublished(switchChanges(snap, null))).errors);
      if (errors.length) logger.warn({ errors, switch: link.id }, 'applying published queues to FreeSWITCH had errors');
      else logger.info({ switch: link.id }, 'published queues applied to FreeSWITCH');
    })().catch((err: unknown) => logger.error({ err, switch: link.id }, 'applying published queues to FreeSWITCH failed'));
  });
  return {
    async applyPublished(input) {
      let applied = false;
      const errors: string[] = [];
      for (const link of switches.list) {
        const control = controls.get(link.id);
        if (!control) continue;
        if (!link.client.connected) {
          errors.push(several ? `switch ${link.id} is not connected: queues will be applied when it connects` : 'FreeSWITCH is not connected: queues will be applied when it connects');
          continue;
        }
        const r = await control.applyPublished(input);
        applied ||= r.applied;
        errors.push(...r.errors.map((e) => named(link, e)));
      }
      return { applied, errors };
    },
  };
}
