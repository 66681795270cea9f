/**
 * Builds webhook delivery from the configuration, for main.ts: the outbox, which takes every call event
 * from the bus, and the dispatcher it wakes after each write. start()/stop(); no globals.
 */
import type { Config } from '../../runtime/env.ts';
import type { Db } from '../../db/handle.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { CallEventBus } from '../../domain/call-events.ts';
import { createWebhookOutbox } from './outbox.ts';
import { createWebhookDispatcher, type WebhookAttemptResult, type WebhookDispatcher } from './dispatcher.ts';

export interface WebhookDelivery {
  dispatcher: WebhookDispatcher;
  /** Offers every call event on `bus` to the outbox, then starts delivering. */
  start(bus: CallEventBus): void;
  /** Stops taking call events and writes the queued ones (at once), then stops delivering. */
  stop(): Promise<void>;
}

export function webhookDeliveryFromConfig(d: { config: Config; logger: Logger; db: Db; onAttempt?: (result: WebhookAttemptResult) => void }): WebhookDelivery {
  const { config, logger, db } = d;
  const outbox = createWebhookOutbox({ db, logger, baseUrl: config.PUBLIC_URL });
  const dispatcher = createWebhookDispatcher({
    db, logger, timeoutMs: config.WEBHOOK_TIMEOUT_MS, maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    backoffBaseMs: config.WEBHOOK_BACKOFF_BASE_MS, backoffMaxMs: config.WEBHOOK_BACKOFF_MAX_MS, pollMs: config.WEBHOOK_POLL_MS,
    onAttempt: d.onAttempt,
  });
  outbox.onWritten(() => dispatcher.kick());
  let detach: (() => void) | undefined;
  return {
    dispatcher,
    start(bus) {
      detach ??= outbox.attach(bus);
      dispatcher.start();
    },
    async stop() {
      detach?.();
      detach = undefined;
      await outbox.flush();
      await dispatcher.stop();
    },
  };
}
