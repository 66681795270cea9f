/**
 * The AI bridge: created once in main.ts (port pool, media clock, settings) and handed to calls
 * through CallDeps.bots (src/call/bots.ts). `run` streams one call to one bot until the bot transfers or
 * hangs up, the caller hangs up, or something fails; the caller of `run` (the ai_agent action) then acts.
 */
import type { BotTarget } from '../domain/agents.ts';
import type { PortPool } from './port-pool.ts';
import type { BotBridgeDeps, BotBridgeSettings, BotCall, BotLegResult, BotRunOptions } from './leg-types.ts';
import { runBotLeg } from './leg.ts';
import { createPreconnects } from './preconnect.ts';

export const DEFAULT_BOT_SETTINGS: BotBridgeSettings = {
  mediaIp: '127.0.0.1',
  switchMediaIp: '127.0.0.1',
  maxBufferMs: 30_000,
  silenceTimeoutMs: 5_000,
  drainTimeoutMs: 5_000,
  pingIntervalMs: 10_000,
  pingTimeoutMs: 5_000,
  maxMessageBytes: 1 << 20,
  closeTimeoutMs: 500,
};

export interface BotBridge {
  /** Streams the call to the bot: over the connection opened for it in advance (`preconnect`), if there is one. */
  run(call: BotCall, target: BotTarget, options?: BotRunOptions): Promise<BotLegResult>;
  /** Opens the bot connection of a call that is still ringing (held `holdMs` at most). */
  preconnect(callId: string, target: BotTarget, holdMs: number): void;
  /** The call ended without a bot leg: close its connection opened in advance, if any. */
  release(callId: string): void;
  /** bot legs running now */
  readonly active: number;
  readonly ports: PortPool;
}

export function createBotBridge(deps: BotBridgeDeps): BotBridge {
  let active = 0;
  const early = createPreconnects();
  return {
    preconnect: (callId, target, holdMs) => early.open(callId, target, holdMs, deps.settings.maxMessageBytes),
    release: (callId) => early.release(callId),
    ports: deps.ports,
    get active() {
      return active;
    },
    async run(call, target, options = {}) {
      active++;
      try {
        const connection = early.take(call.callId);
        const result = await runBotLeg(deps, call, target, connection ? { ...options, connection } : options);
        deps.onLegEnd?.(result);
        return result;
      } finally {
        active--;
      }
    },
  };
}
