import { eq } from 'drizzle-orm';
import type { Db } from '../db/handle.ts';
import { soundsDir, type Config } from '../runtime/env.ts';
import { NotFoundError } from '../domain/errors.ts';
import { normalizeE164 } from '../services/numbers/phone.ts';
import { compile, type Problem } from '../publish/compile.ts';
import { createAsyncSnapshotReader } from '../publish/reader.ts';
import type { ConfigSnapshot, SnapshotDid } from '../publish/snapshot.ts';
import type { ParsedRequest } from './request.ts';

/** What a simulated call walks: the organization's snapshot and where the call starts in it. */
export interface SimulationTarget {
  snapshot: ConfigSnapshot;
  /** null for the draft. */
  version: number | null;
  start: { did: SnapshotDid } | { ivrId: string };
  problems: Problem[];
}

/**
 * The published snapshot as a call to the DID would pin it (live_dids, the organization's latest version), or
 * the draft compiled the way publish compiles it, without writing a version. NotFoundError when there is nothing
 * to walk: an organization that never published, a DID that is not the organization's routed number, an IVR the
 * configuration does not hold.
 */
export async function resolveTarget(
  deps: { adb: Db; config: Pick<Config, 'SOUNDS_DIR' | 'DATA_DIR' | 'DEFAULT_COUNTRY_CODE'> },
  orgId: string,
  req: ParsedRequest,
  now: Date,
): Promise<SimulationTarget> {
  const { adb: db, config } = deps;
  const cc = config.DEFAULT_COUNTRY_CODE;
  const numbers = (raw: string) => [...new Set([normalizeE164(raw, cc) ?? raw, raw])];

  if (req.source === 'draft') {
    const { snapshot: draft, problems } = await compile(db, orgId, { soundsDir: soundsDir(config) });
    const snapshot: ConfigSnapshot = { ...draft, version: 0, publishedAt: now.toISOString() };
    if ('did' in req.start) {
      const raw = req.start.did;
      const did = numbers(raw).map((n) => draft.dids[n]).find((d) => d !== undefined);
      if (!did) throw new NotFoundError(`DID ${raw} is not an active, routed number of your organization`);
      return { snapshot, version: null, start: { did }, problems };
    }
    if (!draft.ivrs[req.start.ivrId]) throw new NotFoundError(`IVR ${req.start.ivrId} not found`);
    return { snapshot, version: null, start: { ivrId: req.start.ivrId }, problems };
  }

  const reader = createAsyncSnapshotReader(db, { cacheSize: 1 });
  const latest = await reader.latest(orgId);
  if (!latest) throw new NotFoundError('Nothing is published for your organization yet: publish, or simulate the draft (source "draft")');
  if ('did' in req.start) {
    const raw = req.start.did;
    let found = null;
    for (const n of numbers(raw)) {
      const f = await reader.lookupDid(n);
      if (f !== null && f.orgId === orgId) {
        found = f;
        break;
      }
    }
    if (!found) throw new NotFoundError(`DID ${raw} is not routed in your organization's published configuration`);
    return { snapshot: found.snapshot, version: found.snapshot.version, start: { did: found.did }, problems: [] };
  }
  if (!latest.ivrs[req.start.ivrId]) {
    throw new NotFoundError(`IVR ${req.start.ivrId} is not in the published configuration (version ${latest.version}): publish, or simulate the draft`);
  }
  return { snapshot: latest, version: latest.version, start: { ivrId: req.start.ivrId }, problems: [] };
}

/**
 * The organization a DID or an IVR belongs to, for a caller that is no organization's user (the CLI): the
 * number's owner (its live route first, as a call finds it), or the IVR's. null when nobody has it.
 */
export async function organizationOf(db: Db, start: ParsedRequest['start'], defaultCountryCode: string): Promise<string | null> {
  const { dids, ivrs, liveDids } = db.t;
  if ('ivrId' in start) return (await db.select({ orgId: ivrs.orgId }).from(ivrs).where(eq(ivrs.id, start.ivrId)).limit(1))[0]?.orgId ?? null;
  const number = normalizeE164(start.did, defaultCountryCode) ?? start.did;
  const [live] = await db.select({ orgId: liveDids.orgId }).from(liveDids).where(eq(liveDids.number, number)).limit(1);
  return live?.orgId ?? (await db.select({ orgId: dids.orgId }).from(dids).where(eq(dids.number, number)).limit(1))[0]?.orgId ?? null;
}
