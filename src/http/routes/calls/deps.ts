import type { AppDeps } from '../../context.ts';
import type { PlaceDeps } from '../../../services/calls/calls-service.ts';

/** What placing calls needs from the app's deps, the async handle as `db` (docs/postgres.md). */
export const placeDeps = (d: AppDeps): PlaceDeps => ({ db: d.adb, config: d.config, calls: d.calls, now: d.now });
