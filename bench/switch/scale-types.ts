import type { RungFigures } from './types.ts';

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
  /**
   * The two instances' shared database: `postgres` (a cluster the driver starts in its namespace, fsync on),
   * a URL (a server of the user's), or `sqlite` (one SQLite file in their shared data folder).
   */
  readonly twoDatabase: 'postgres' | 'sqlite' | { readonly url: string };
  /** `postgres` only: load pg_stat_statements and log the statements the pair ran per call at the end. */
  readonly pgStatements?: boolean;
}

export interface ScaleRungResult extends RungFigures {
  readonly target: ScaleTarget;
  /** `ctlCpuMsPerCall` is the target's controllers' CPU, summed. `two`: the second instance's share of the calls (0.5 when spread evenly). */
  readonly secondShare: number;
  /** `two` on the driver's own PostgreSQL: the server's CPU (postmaster and backends) per call, ms; else undefined. */
  readonly dbCpuMsPerCall?: number;
}
