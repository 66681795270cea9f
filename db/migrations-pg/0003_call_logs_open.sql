-- Hand-written (no drizzle schema change; the snapshot is 0002's). The restart reconciliation
-- (src/switch/reconcile-store.ts) reads the call logs not ended straight from this partial index on
-- PostgreSQL: it holds only the calls in progress (and orphans), and unlike SQLite's rowid ranges it cannot
-- pass over a row whose transaction commits after a later seq was read.
CREATE INDEX "call_logs_open_idx" ON "call_logs" ("started_at") WHERE "ended_at" IS NULL;
