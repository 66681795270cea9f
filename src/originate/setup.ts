/**
 * Builds the call APIs' long-lived objects for main.ts: call control (originate over inbound ESL), the
 * webhook outbox + dispatcher (subscribed to the call bus) and the scheduler. start()/stop(); no globals.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/env.ts';
import { recordingsDir, soundsDir } from '../config/env.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../logging/logger.ts';
import type { CallEventBus } from '../calls/events.ts';
import type { TtsEngine } from '../tts/engine.ts';
import { createCallControl, type CallControl, type OriginateClient } from './call-control.ts';
import { createWebhookOutbox } from '../webhooks/outbox.ts';
import { createWebhookDispatcher, type WebhookDispatcher } from '../webhooks/dispatcher.ts';
import { createCallScheduler } from '../scheduler/call-scheduler.ts';

export interface CallApis {
  calls: CallControl;
  webhooks: WebhookDispatcher;
  start(): void;
  stop(): Promise<void>;
}

export function createCallApis(d: { config: Config; logger: Logger; db: Db; bus: CallEventBus; inbound: OriginateClient | null; tts: TtsEngine }): CallApis {
  const { config, logger, db } = d;
  const sounds = resolve(soundsDir(config));
  const calls = createCallControl({
    db, logger, bus: d.bus, inbound: d.inbound, gateway: config.EXTERNAL_GATEWAY, ringTimeoutS: config.ORIGINATE_TIMEOUT_S,
    recordingsDir: config.CALL_RECORDING ? resolve(recordingsDir(config)) : null,
    commandTimeoutMs: config.ESL_COMMAND_TIMEOUT_MS,
    renderIntro: async (text, callId) => {
      const wav = await d.tts.synthesize({ text, language: 'en-IN', voice: 'en-IN-Wavenet-D', sampleRate: config.TTS_SAMPLE_RATE }, AbortSignal.timeout(15_000));
      mkdirSync(sounds, { recursive: true });
      const path = join(sounds, `intro_${callId}.wav`);
      writeFileSync(path, wav);
      return path;
    },
  });
  const outbox = createWebhookOutbox({ db, logger, baseUrl: config.PUBLIC_URL });
  const webhooks = createWebhookDispatcher({
    db, logger, timeoutMs: config.WEBHOOK_TIMEOUT_MS, maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    backoffBaseMs: config.WEBHOOK_BACKOFF_BASE_MS, backoffMaxMs: config.WEBHOOK_BACKOFF_MAX_MS, pollMs: config.WEBHOOK_POLL_MS,
  });
  outbox.onWritten(() => webhooks.kick());
  const scheduler = createCallScheduler({ db, logger, calls, pollMs: config.SCHEDULER_POLL_MS });
  let detach: (() => void) | undefined;
  return {
    calls,
    webhooks,
    start() {
      detach ??= outbox.attach(d.bus);
      calls.start();
      webhooks.start();
      scheduler.start();
    },
    async stop() {
      detach?.();
      detach = undefined;
      outbox.flush();
      calls.stop();
      await Promise.all([scheduler.stop(), webhooks.stop()]);
    },
  };
}
