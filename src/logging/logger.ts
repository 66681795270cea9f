import { pino, type Logger } from 'pino';
import type { Config } from '../config/env.ts';

export type { Logger };

/** The root logger. Library code gets child loggers (call uuid, request id) from its caller. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    base: undefined,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.password', '*.sip_password'],
      censor: '[redacted]',
    },
  });
}

/** A logger that writes nothing, for tests and tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
