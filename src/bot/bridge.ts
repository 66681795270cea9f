/**
 * The AI bridge: created once in main.ts (port pool, media clock, settings) and handed to calls
 * through CallDeps.bots. `run` streams one call to one bot until the bot transfers or hangs up,
 * the caller hangs up, or something fails; the caller of `run` (the ai_agent action) then acts.
 */
import type { Logger } from '../runtime/logger.ts';
import type { CallSession } from '../call/session.ts';
import type { BotTarget } from '../domain/agents.ts';
import type { ConnectFailure } from './bot-socket.ts';
import type { MediaClock } from './media-clock.ts';
import type { PortPool } from './port-pool.ts';
import type { TransferTarget } from './protocol.ts';
import { runBotLeg } from './leg.ts';

export type BotFailure =
  | Exclude<ConnectFailure, 'aborted'>
  | 'no_media_port'
  | 'media_bind_failed'
  | 'unicast_unsupported'
  | 'unicast_failed'
  | 'bot_closed'
  | 'bot_silent'
  | 'bot_unresponsive';

export type BotLegEnd =
  | { kind: 'transfer'; target: TransferTarget }
  | { kind: 'hangup'; reason: string | null }
  | { kind: 'caller_hangup' }
  | { kind: 'failed'; reason: BotFailure; detail: string };

export interface BotLegStats {
  /** datagrams from FreeSWITCH (caller audio) */
  framesFromCaller: number;
  framesToBot: number;
  /** caller frames dropped because the bot did not read its socket */
  droppedToBot: number;
  /** bot audio frames sent to the caller */
  framesToCaller: number;
  /** filler silence frames sent to the caller */
  silenceFrames: number;
  /** bot audio frames dropped because the play-out buffer was full (bot faster than real time) */
  droppedFromBot: number;
  /** bot audio frames skipped because their play time passed while the media clock stalled */
  skippedFromBot: number;
  invalidMessages: number;
  marks: number;
}

export interface BotLegResult {
  streamId: string;
  end: BotLegEnd;
  /** true once the WebSocket opened and `start` was sent */
  connected: boolean;
  startedAt: string;
  durationMs: number;
  dtmf: string;
  stats: BotLegStats;
}

export interface BotBridgeSettings {
  /** our address for unicast (remote-ip) */
  mediaIp: string;
  /** FreeSWITCH's address for unicast (local-ip) */
  switchMediaIp: string;
  /** most bot audio buffered ahead of the caller; beyond it, audio is dropped */
  maxBufferMs: number;
  /** the bot must send something within this long after `start`, else the call falls back */
  silenceTimeoutMs: number;
  /** after transfer/hangup, how long buffered bot audio may still play */
  drainTimeoutMs: number;
  /** WebSocket ping every this long (0 = never) */
  pingIntervalMs: number;
  /** no pong within this long after a ping: the bot has failed (fallback) */
  pingTimeoutMs: number;
  /** largest WebSocket message accepted from a bot */
  maxMessageBytes: number;
  /** bound on the closing handshake with the bot */
  closeTimeoutMs: number;
}

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

export interface BotBridgeDeps {
  logger: Logger;
  ports: PortPool;
  clock: MediaClock;
  settings: BotBridgeSettings;
}

export interface BotRunOptions {
  /** Refuse a transfer target (null = fine). A refused transfer is answered with an error; the call stays with the bot. */
  checkTransfer?: (target: TransferTarget) => string | null;
}

export interface BotBridge {
  run(s: CallSession, target: BotTarget, options?: BotRunOptions): Promise<BotLegResult>;
  /** bot legs running now */
  readonly active: number;
  readonly ports: PortPool;
}

export function createBotBridge(deps: BotBridgeDeps): BotBridge {
  let active = 0;
  return {
    ports: deps.ports,
    get active() {
      return active;
    },
    async run(s, target, options = {}) {
      active++;
      try {
        return await runBotLeg(deps, s, target, options);
      } finally {
        active--;
      }
    },
  };
}
