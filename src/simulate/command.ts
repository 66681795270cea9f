import { NotFoundError } from '../domain/errors.ts';
import { formatSimulation } from './format.ts';
import { parseRequest } from './request.ts';
import { simulateCall, type SimulatorDeps } from './simulate.ts';
import { organizationOf } from './target.ts';
import type { SimulationRequest } from './types.ts';

export interface SimulateOptions {
  did?: string | undefined;
  ivr?: string | undefined;
  /** Comma-separated key entries: "9,2", "1001#", "timeout,1". */
  keys?: string | undefined;
  draft?: boolean | undefined;
  at?: string | undefined;
  caller?: string | undefined;
  /** The organization, when the DID or IVR does not say (an id); default: the one that owns it. */
  org?: string | undefined;
  /** The result as JSON (the API's response body) instead of lines. */
  json?: boolean | undefined;
}

/**
 * `npm run simulate -- --did +918065978001 --keys 9,2 [--draft] [--at ISO]`: simulates against the database the
 * product uses (DATABASE_URL), without a running server. Returns the lines to print.
 */
export async function simulateCommand(deps: SimulatorDeps, o: SimulateOptions): Promise<string[]> {
  const request: SimulationRequest = {
    did: o.did, ivrId: o.ivr, source: o.draft ? 'draft' : 'published', at: o.at, caller: o.caller,
    keys: (o.keys ?? '').split(',').map((k) => k.trim()).filter((k) => k !== ''),
  };
  const { start } = parseRequest(request);
  const orgId = o.org ?? (await organizationOf(deps.adb, start, deps.config.DEFAULT_COUNTRY_CODE));
  if (!orgId) throw new NotFoundError('did' in start ? `No organization has DID ${start.did}` : `IVR ${start.ivrId} not found`);
  const result = await simulateCall(deps, orgId, request);
  return o.json ? [JSON.stringify(result, null, 2)] : formatSimulation(result);
}
