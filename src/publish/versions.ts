import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/handle.ts';
import type { ConfigSnapshot } from './snapshot.ts';
import { canonicalJson } from './store.ts';

export interface VersionInfo {
  version: number;
  createdAt: string;
  publishedBy: string | null;
  contentHash: string;
  /** Sections that differ from the previous version: ivrs, extensions, queues, agents, dids, org. */
  changed: string[];
}

const SECTIONS = ['ivrs', 'extensions', 'queues', 'agents', 'dids'] as const;

/** The org's published versions, newest first, each with what it changed. */
export async function listVersions(db: Db, orgId: string, limit: number): Promise<VersionInfo[]> {
  const { configSnapshots } = db.t;
  const rows = await db.select().from(configSnapshots).where(eq(configSnapshots.orgId, orgId))
    .orderBy(desc(configSnapshots.version)).limit(limit + 1);
  return rows.slice(0, limit).map((r, i) => {
    const prev = rows[i + 1];
    return {
      version: r.version,
      createdAt: r.createdAt,
      publishedBy: r.publishedBy,
      contentHash: r.contentHash,
      changed: changedSections(r.snapshot as ConfigSnapshot, prev ? (prev.snapshot as ConfigSnapshot) : null),
    };
  });
}

export function changedSections(next: ConfigSnapshot, prev: ConfigSnapshot | null): string[] {
  const out: string[] = [];
  if (!prev || prev.orgName !== next.orgName || prev.sipDomain !== next.sipDomain) out.push('org');
  for (const s of SECTIONS) {
    if (!prev || canonicalJson(prev[s]) !== canonicalJson(next[s])) out.push(s);
  }
  return out;
}
