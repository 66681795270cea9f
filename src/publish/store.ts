import { createHash } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { Db as AsyncDb } from '../db/handle.ts';
import type { ConfigSnapshot, DraftSnapshot, SnapshotDid } from './snapshot.ts';

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

export interface WriteResult {
  version: number;
  changed: boolean;
  snapshot: ConfigSnapshot;
  previous: ConfigSnapshot | null;
}

/** True for a unique-index violation (two instances wrote the same org+version). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505') return true;
  }
  return false;
}

/**
 * Serializes the org's version bumps. SQLite: nothing to do (the transaction is BEGIN IMMEDIATE and holds
 * the connection). PostgreSQL: the organization's row, `FOR NO KEY UPDATE` (it does not block the FK checks
 * of inserts naming the org, as FOR UPDATE would), taken first in the transaction, so the latest version read
 * after it is the committed one and a concurrent publish waits instead of losing the version race. Locking
 * the latest config_snapshots row instead would not cover an org's first publish (no row yet), and a waiter
 * would read the old latest row again (READ COMMITTED re-checks only the locked row).
 */
export async function lockOrgVersions(tx: AsyncDb, orgId: string): Promise<void> {
  if (tx.driver.dialect !== 'postgres') return;
  const { organizations } = tx.t;
  await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId)).for('no key update');
}

export async function latestSnapshot(db: AsyncDb, orgId: string): Promise<StoredSnapshot | null> {
  const { configSnapshots: cs } = db.t;
  const [row] = await db
    .select({ id: cs.id, version: cs.version, contentHash: cs.contentHash, snapshot: cs.snapshot })
    .from(cs).where(eq(cs.orgId, orgId)).orderBy(desc(cs.version)).limit(1);
  return row ? { ...row, snapshot: row.snapshot as ConfigSnapshot } : null;
}

/**
 * Writes `content` as the org's next version unless it equals the latest one (then the latest
 * is returned with changed: false). Inside `transaction`, after lockOrgVersions.
 */
export async function writeVersion(
  tx: AsyncDb,
  orgId: string,
  content: DraftSnapshot,
  opts: { actorId?: string | null; now: Date; latest?: StoredSnapshot | null },
): Promise<WriteResult> {
  const latest = opts.latest !== undefined ? opts.latest : await latestSnapshot(tx, orgId);
  const hash = contentHash(content);
  if (latest && latest.contentHash === hash) {
    return { version: latest.version, changed: false, snapshot: latest.snapshot, previous: latest.snapshot };
  }
  const version = (latest?.version ?? 0) + 1;
  const snapshot: ConfigSnapshot = { ...content, version, publishedAt: opts.now.toISOString() };
  await tx.insert(tx.t.configSnapshots)
    .values({ orgId, version, snapshot, contentHash: hash, publishedBy: opts.actorId ?? null, createdAt: opts.now.toISOString() });
  return { version, changed: true, snapshot, previous: latest?.snapshot ?? null };
}

/** Points the org's live DIDs at the written version (statements one after another: inside a transaction). */
export async function rewriteLiveDids(tx: AsyncDb, orgId: string, didMap: Record<string, SnapshotDid>, now: Date): Promise<void> {
  const { liveDids: ld } = tx.t;
  await tx.delete(ld).where(eq(ld.orgId, orgId));
  const updatedAt = now.toISOString();
  for (const d of Object.values(didMap)) {
    const row = { orgId, didId: d.didId ?? '', routingType: d.routingType, routingDestination: d.destination, updatedAt };
    await tx.insert(ld).values({ number: d.number, ...row }).onConflictDoUpdate({ target: ld.number, set: row });
  }
}

/** Runs `fn` (a whole transaction) and retries it once if it lost a version race. */
export async function withVersionRetry<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return fn();
  }
}

export async function snapshotByVersion(db: AsyncDb, orgId: string, version: number): Promise<ConfigSnapshot | null> {
  const { configSnapshots: cs } = db.t;
  const [row] = await db.select({ snapshot: cs.snapshot }).from(cs).where(and(eq(cs.orgId, orgId), eq(cs.version, version))).limit(1);
  return row ? (row.snapshot as ConfigSnapshot) : null;
}
