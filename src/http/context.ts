import type { Logger } from '../runtime/logger.ts';
import type { Config } from '../runtime/env.ts';
import type { Db as AsyncDb } from '../db/handle.ts';
import type { TtsEngine } from '../media/tts-engine.ts';
import type { SwitchControl } from '../publish/callcenter.ts';
import type { Role } from '../services/auth/permissions.ts';
import type { CallControl } from '../services/calls/control.ts';
import type { RegistrationSource } from '../services/extensions/registrations.ts';
import type { NumberProvider } from '../services/numbers/number-provider.ts';
import type { LiveCallTracker } from '../services/live-calls/tracker.ts';

/** Everything a request handler may use; built once in main.ts (or per test) and passed in. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  /** The async handle both databases share (src/db/handle.ts); SQLite or PostgreSQL. */
  adb: AsyncDb;
  tts: TtsEngine;
  /** Applies published queue/directory changes to FreeSWITCH; a no-op when no switch is connected. */
  switchControl: SwitchControl;
  jwtSecret: string;
  /**
   * Status of the controller's links, for /health and /ready (`switchConnected`: at least one switch is;
   * `switches`: each switch's inbound ESL link; `draining`: after SIGTERM, taking no new calls).
   */
  health: () => { switchConnected: boolean; activeCalls: number; draining?: boolean; switches?: ReadonlyArray<{ id: string; connected: boolean }> };
  now: () => Date;
  /** Places and hangs up calls over the switches' inbound ESL connections; absent = placing calls answers 503. */
  calls?: CallControl;
  /** Wakes the campaign dialer (a campaign switched on, numbers added) instead of waiting for its tick. */
  dialer?: { kick(): void };
  /** Live SIP registrations from the switch; absent = every extension's state is `switch_unavailable`. */
  registrations?: RegistrationSource;
  /** Where numbers are searched and bought; absent = the built-in pool provider. */
  numbers?: NumberProvider;
  /** Wakes the webhook dispatcher after a test delivery is queued. */
  webhooks?: { kick(): void };
  /** This instance's calls in progress, followed on the call event bus; absent = only the open call log rows. */
  liveCalls?: LiveCallTracker;
  /** The Prometheus exposition for GET /metrics (src/metrics); absent = 404. */
  metrics?: { readonly contentType: string; render(): Promise<string> };
}

export interface Principal {
  kind: 'user' | 'api_key';
  orgId: string;
  /** user id, or api key id */
  id: string;
  role: Role | null;
  permissions: readonly string[];
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    requestId: string;
    /** The request's logger (pino child with the request id, made on first use). */
    logger: Logger;
    principal: Principal;
  };
};
