import { createHash } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { RunResult } from 'better-sqlite3';
import type * as schema from '../db/schema/index.ts';
import { configSnapshots, liveDids } from '../db/schema/index.ts';
import type { ConfigSnapshot, DraftSnapshot, SnapshotDid } from './snapshot.ts';
import type { Db as AsyncDb } from '../db/handle.ts';

/** A database or a transaction on it: the publish steps run inside one transaction. */
export type DbLike = BaseSQLiteDatabase<'sync', RunResult, typeof schema, ExtractTablesWithRelations<typeof schema>>;

/** JSON with object keys sorted at every level, so equal content always hashes equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** SHA-256 of the snapshot's content: everything but version and publishedAt. */
export function contentHash(snapshot: DraftSnapshot | ConfigSnapshot): string {
  const { version: _v, publishedAt: _p, ...content } = snapshot as ConfigSnapshot;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

export interface StoredSnapshot {
  id: string;
  version: number;
  contentHash: string;
  snapshot: ConfigSnapshot;
}

export function latestSnapshot(db: DbLike, orgId: string): StoredSnapshot | null {
  const row = db
    .select({ id: configSnapshots.id, version: configSnapshots.version, contentHash: configSnapshots.contentHash, snapshot: configSnapshots.snapshot })
    .from(configSnapshots).where(eq(configSnapshots.orgId, orgId)).orderBy(desc(configSnapshots.version)).limit(1).get();
  return row ? { ...row, snapshot: row.snapshot as ConfigSnapshot } : null;
}

/** latestSnapshot on the async handle (placed calls and campaigns use it; publish converts the rest). */
export async function latestSnapshotAsync(db: AsyncDb, orgId: string): Promise<StoredSnapshot | null> {
  const { configSnapshots } = db.t;
  const [row] = await db
    .select({ id: configSnapshots.id, version: configSnapshots.version, contentHash: configSnapshots.contentHash, snapshot: configSnapshots.snapshot })
    .from(configSnapshots).where(eq(configSnapshots.orgId, orgId)).orderBy(desc(configSnapshots.version)).limit(1);
  return row ? { ...row, snapshot: row.snapshot as ConfigSnapshot } : null;
}

export interface WriteResult {
  version: number;
  changed: boolean;
  snapshot: ConfigSnapshot;
  previous: ConfigSnapshot | null;
}

/**
 * Writes `content` as the org's next version unless it equals the latest one (then the latest
 * is returned with changed: false). Call inside a transaction.
 */
export function writeVersion(
  tx: DbLike,
  orgId: string,
  content: DraftSnapshot,
  opts: { actorId?: string | null; now: Date },
): WriteResult {
  const latest = latestSnapshot(tx, orgId);
  const hash = contentHash(content);
  if (latest && latest.contentHash === hash) {
    return { version: latest.version, changed: false, snapshot: latest.snapshot, previous: latest.snapshot };
  }
  const version = (latest?.version ?? 0) + 1;
  const snapshot: ConfigSnapshot = { ...content, version, publishedAt: opts.now.toISOString() };
  tx.insert(configSnapshots)
    .values({ orgId, version, snapshot, contentHash: hash, publishedBy: opts.actorId ?? null, createdAt: opts.now.toISOString() })
    .run();
  return { version, changed: true, snapshot, previous: latest?.snapshot ?? null };
}

/** Replaces the org's live DID → org mapping with the snapshot's DIDs (a number moves to its new org). */
export function rewriteLiveDids(tx: DbLike, orgId: string, didMap: Record<string, SnapshotDid>, now: Date): void {
  tx.delete(liveDids).where(eq(liveDids.orgId, orgId)).run();
  const updatedAt = now.toISOString();
  for (const d of Object.values(didMap)) {
    const row = {
      orgId, didId: d.didId ?? '', routingType: d.routingType, routingDestination: d.destination, updatedAt,
    };
    tx.insert(liveDids).values({ number: d.number, ...row }).onConflictDoUpdate({ target: liveDids.number, set: row }).run();
  }
}

/** True for a unique-index violation (two instances wrote the same org+version). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505') return true;
  }
  return false;
}

/** Runs `fn` (a whole transaction) and retries it once if it lost a version race. */
export function withVersionRetry<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return fn();
  }
}

export function snapshotByVersion(db: DbLike, orgId: string, version: number): ConfigSnapshot | null {
  const row = db.select({ snapshot: configSnapshots.snapshot }).from(configSnapshots)
    .where(and(eq(configSnapshots.orgId, orgId), eq(configSnapshots.version, version))).get();
  return row ? (row.snapshot as ConfigSnapshot) : null;
}
