/** Build the AI bridge from the configuration (called once, from main.ts). */
import type { Config } from '../runtime/env.ts';
import { switchMediaIps } from '../runtime/switch-list.ts';
import type { Logger } from '../runtime/logger.ts';
import { createBotBridge, DEFAULT_BOT_SETTINGS, type BotBridge } from './bridge.ts';
import { createMediaClock } from './media-clock.ts';
import { createPortPool } from './port-pool.ts';
import type { BotLegResult } from './leg-types.ts';

export function botBridgeFromConfig(config: Config, logger: Logger, onLegEnd?: (result: BotLegResult) => void): BotBridge {
  return createBotBridge({
    logger,
    onLegEnd,
    ports: createPortPool(config.BOT_UDP_PORT_MIN, config.BOT_UDP_PORT_MAX),
    clock: createMediaClock(),
    settings: {
      ...DEFAULT_BOT_SETTINGS,
      mediaIp: config.BOT_MEDIA_IP,
      switchMediaIp: config.BOT_SWITCH_MEDIA_IP,
      switchMediaIps: switchMediaIps(config),
      maxBufferMs: config.BOT_MAX_BUFFER_MS,
      silenceTimeoutMs: config.BOT_SILENCE_TIMEOUT_MS,
      pingIntervalMs: config.BOT_PING_INTERVAL_MS,
      pingTimeoutMs: config.BOT_PING_TIMEOUT_MS,
    },
  });
}
