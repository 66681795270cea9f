/** What bench/switch-bot.bench.ts hands the in-namespace AI driver, and what the driver reports per rung. */
import type { MediaSummary } from './rtp-analysis.ts';

export type BotTarget = 'bridge' | 'relay';

export interface BotDriverConfig {
  readonly work: string;
  readonly confDir: string;
  readonly xmlCurlToken: string;
  readonly controllerArgs: string[];
  readonly controllerCwd: string;
  /** node arguments that run the compiled relay (bench/switch/relay.ts) */
  readonly relayArgs: string[];
  readonly didDialled: string;
  readonly streams: number[];
  readonly targets: BotTarget[];
  /** SIPp's call rate while it brings a rung's calls up */
  readonly rampPerS: number;
  /** how long every call stays up once all of a rung's calls are up, ms */
  readonly overlapMs: number;
  readonly minCallMs: number;
  readonly gapLimitMs: number;
  readonly delayLimitMs: number;
}

export interface BotRungResult extends MediaSummary {
  readonly target: BotTarget;
  readonly streams: number;
  readonly callMs: number;
  readonly successful: number;
  readonly failed: number;
  readonly leftover: number;
  /** CPU of the process between FreeSWITCH and the bot (the controller, or the relay) per stream-second, ms */
  readonly ownCpuMsPerStreamS: number;
  readonly fsCpuMsPerStreamS: number;
}
