import { pino, type Logger } from 'pino';
import type { Config } from './env.ts';

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

/**
 * `parent.child(bindings)`, made on first use. Every call gets child loggers (connection, call) that
 * log only when something goes wrong, and pino's `child()` costs more than the rest of a call's
 * bookkeeping; this view costs one small object until a method or property is read. `child()` of a
 * lazy child is lazy too.
 */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  return new Proxy(new LazyLogger(parent, bindings), LAZY_LOGGER) as unknown as Logger;
}

const REAL = Symbol('real logger');

class LazyLogger {
  #real: Logger | undefined;
  constructor(
    readonly parent: Logger,
    readonly bindings: Record<string, unknown>,
  ) {}

  get real(): Logger {
    // A lazy parent is made real first (its own child() would only return another lazy view).
    const parent = (this.parent as Logger & { [REAL]?: Logger })[REAL] ?? this.parent;
    this.#real ??= parent.child(this.bindings);
    return this.#real;
  }
}

/** One handler for every lazy child (no closures per logger). */
const LAZY_LOGGER: ProxyHandler<LazyLogger> = {
  get(t, key, receiver) {
    if (key === REAL) return t.real;
    if (key === 'child') {
      return (bindings: Record<string, unknown>, options?: Parameters<Logger['child']>[1]) =>
        options === undefined ? lazyChild(receiver as Logger, bindings) : t.real.child(bindings, options);
    }
    const real = t.real;
    const value = Reflect.get(real, key, real) as unknown;
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(real) : value;
  },
  set: (t, key, value) => Reflect.set(t.real, key, value),
  has: (t, key) => Reflect.has(t.real, key),
  ownKeys: (t) => Reflect.ownKeys(t.real),
  getOwnPropertyDescriptor: (t, key) => {
    const d = Reflect.getOwnPropertyDescriptor(t.real, key);
    return d === undefined ? undefined : { ...d, configurable: true };
  },
  getPrototypeOf: (t) => Reflect.getPrototypeOf(t.real),
};
