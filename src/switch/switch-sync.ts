import type { InboundClient } from '../esl/inbound-client.ts';
import type { Logger } from '../runtime/logger.ts';
import { createEslSwitchControl } from './switch-control.ts';
import { switchChanges, type SwitchControl } from '../publish/callcenter.ts';
import type { ConfigSnapshot } from '../publish/snapshot.ts';

/**
 * Keeps FreeSWITCH in step with what is published. While the inbound ESL link is down a publish
 * does not try the switch (one clear warning instead); when the link comes up every organization's
 * published queues, agents and tiers are (re)applied, so a switch restart or a publish made while
 * it was away converges without anyone re-publishing.
 */
export function createSwitchSync(inbound: InboundClient, allLatest: () => ConfigSnapshot[], logger: Logger): SwitchControl {
  // api() rejects with an EslCommandError when FreeSWITCH answers -ERR: no reply text to inspect.
  const control = createEslSwitchControl((cmd) => inbound.api(cmd));
  inbound.onState((state) => {
    if (state !== 'connected') return;
    // Fire-and-forget from a state listener: applyPublished() reports -ERR in `errors`; anything else
    // (reading the snapshots) is logged here instead of becoming an unhandled rejection.
    void (async () => {
      const errors: string[] = [];
      for (const snap of allLatest()) errors.push(...(await control.applyPublished(switchChanges(snap, null))).errors);
      if (errors.length) logger.warn({ errors }, 'applying published queues to FreeSWITCH had errors');
      else logger.info('published queues applied to FreeSWITCH');
    })().catch((err: unknown) => logger.error({ err }, 'applying published queues to FreeSWITCH failed'));
  });
  return {
    async applyPublished(input) {
      if (!inbound.connected) {
        return { applied: false, errors: ['FreeSWITCH is not connected: queues will be applied when it connects'] };
      }
      return control.applyPublished(input);
    },
  };
}
