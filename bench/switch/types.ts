/** What bench/switch.bench.ts hands the in-namespace driver, and what the driver reports per rung. */
/** `floor`: bench/switch/floor-server.ts behind the product's dialplan apps, the least a socket controller can cost. */
export type Target = 'controller' | 'native' | 'floor';

export interface DriverConfig {
  readonly work: string;
  readonly confDir: string;
  readonly xmlCurlToken: string;
  /** node arguments that run the compiled product (Node flags + main.js). */
  readonly controllerArgs: string[];
  readonly controllerCwd: string;
  readonly didDialled: string;
  readonly nativeNumber: string;
  /** The number of the floor target's extension (a copy of `inbound_did` whose socket reaches the floor server). */
  readonly floorNumber: string;
  /** node arguments that run the compiled bench/switch/floor-server.ts. */
  readonly floorArgs: string[];
  readonly rates: number[];
  readonly rungSeconds: number;
  readonly targets: Target[];
  readonly p99LimitMs: number;
  /** The `socket` app's arguments in the copy's `inbound_did` (default the product's). */
  readonly socketArgs?: string;
  /** tcpdump SIP and ESL on the namespace's loopback into <work>/sip-esl.pcap during the rungs. */
  readonly pcap?: boolean;
  /**
   * `shared` (default): every process may run on every CPU. `dedicated`: FreeSWITCH alone on CPU 0, the
   * controller and SIPp on CPU 1 (taskset): the switch on a host of its own, as deployed, so the clean
   * rate measures the switch's capacity, not the machine's.
   */
  readonly layout?: 'shared' | 'dedicated';
}

/** What every SIPp-rate rung of the switch benches reports. */
export interface RungFigures {
  readonly rate: number;
  readonly calls: number;
  readonly successful: number;
  readonly failed: number;
  /** INVITE → 200 OK, ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly fsCpuMsPerCall: number;
  readonly ctlCpuMsPerCall: number;
}

export interface RungResult extends RungFigures {
  readonly target: Target;
  /** Native rungs: CPU the (unused) controller burnt meanwhile, ms in total. */
  readonly idleCtlCpuMs: number;
  /** Channels still up when the rung started (0 expected). */
  readonly leftoverChannels: number;
  readonly seconds: number;
}
