import { resolve } from 'node:path';
import { recordingsDir, type Config } from '../runtime/env.ts';
import type { CallSettings } from './session.ts';

/** The call layer's settings from the configuration: what main.ts gives the controller, and the simulator too. */
export function callSettings(config: Config): CallSettings {
  return {
    externalGateway: config.EXTERNAL_GATEWAY,
    ringTimeoutS: config.EXTENSION_RING_TIMEOUT_S,
    defaultCountryCode: config.DEFAULT_COUNTRY_CODE,
    maxIvrEntries: 20,
    foreverS: 3600,
    maxTalkS: 4 * 3600,
    recordingsDir: config.CALL_RECORDING ? resolve(recordingsDir(config)) : null,
    contactLookupTimeoutMs: config.CONTACT_LOOKUP_TIMEOUT_MS,
  };
}
