/** What bench/switch-scale.bench.ts hands its in-namespace driver, and what the driver reports per rung. */
export type ScaleTarget = 'one' | 'two';

export interface ScaleDriverConfig {
  readonly work: string;
  readonly confDir: string;
  readonly xmlCurlToken: string;
  readonly controllerArgs: string[];
  readonly controllerCwd: string;
  readonly rates: number[];
  readonly rungSeconds: number;
  readonly p99LimitMs: number;
  /** The two instances' shared database; undefined: one SQLite file in their shared data folder. */
  readonly twoDatabaseUrl?: string;
}

export interface ScaleRungResult {
  readonly target: ScaleTarget;
  readonly rate: number;
  readonly calls: number;
  readonly successful: number;
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly fsCpuMsPerCall: number;
  /** CPU of the target's controller(s), summed, per completed call. */
  readonly ctlCpuMsPerCall: number;
  /** `two`: the share of calls the second instance took (0.5 when spread evenly). */
  readonly secondShare: number;
}
