-- What drizzle-kit does not generate, hand-written to match db/migrations (SQLite). Keep in step by hand:
-- test/db/pg-schema.test.ts checks the triggers exist.

-- Insertion order: SQLite orders ties by rowid; PostgreSQL has none, so these tables get a hidden identity
-- column (not in the drizzle schema; src/db/order.ts orders by it).
ALTER TABLE "ivrs" ADD COLUMN "seq" bigint GENERATED ALWAYS AS IDENTITY;
--> statement-breakpoint
ALTER TABLE "ivr_menu_options" ADD COLUMN "seq" bigint GENERATED ALWAYS AS IDENTITY;
--> statement-breakpoint
ALTER TABLE "did_history" ADD COLUMN "seq" bigint GENERATED ALWAYS AS IDENTITY;
--> statement-breakpoint
ALTER TABLE "callback_requests" ADD COLUMN "seq" bigint GENERATED ALWAYS AS IDENTITY;
--> statement-breakpoint
ALTER TABLE "masking_sessions" ADD COLUMN "seq" bigint GENERATED ALWAYS AS IDENTITY;
--> statement-breakpoint
ALTER TABLE "bot_legs" ADD COLUMN "seq" bigint GENERATED ALWAYS AS IDENTITY;
--> statement-breakpoint
ALTER TABLE "call_logs" ADD COLUMN "seq" bigint GENERATED ALWAYS AS IDENTITY;
--> statement-breakpoint
ALTER TABLE "call_notes" ADD COLUMN "seq" bigint GENERATED ALWAYS AS IDENTITY;
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "seq" bigint GENERATED ALWAYS AS IDENTITY;
--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD COLUMN "seq" bigint GENERATED ALWAYS AS IDENTITY;
--> statement-breakpoint

-- 0002 (SQLite): a call log that ends enters the integrations' feed.
-- Readers page by `seq > cursor`, but a bigserial is handed out at insert, not at commit: a transaction
-- that took seq 5 and commits after another's seq 6 was read would be skipped. The transaction-scoped
-- advisory lock (held to commit) makes the transactions that end call logs take their seqs one after
-- another, so seq order is commit order (SQLite has one writer: nothing to do there).
CREATE FUNCTION "call_logs_feed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."ended_at" IS NOT NULL AND (TG_OP = 'INSERT' OR OLD."ended_at" IS NULL) THEN
    PERFORM pg_advisory_xact_lock(1540245761, 1);
    INSERT INTO "call_log_feed" ("call_log_id", "org_id") VALUES (NEW."id", NEW."org_id");
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "call_logs_feed" AFTER INSERT OR UPDATE OF "ended_at" ON "call_logs" FOR EACH ROW EXECUTE FUNCTION "call_logs_feed"();
--> statement-breakpoint

-- 0004 (SQLite): every write to an organization's IVRs or menu options bumps its 'ivrs' revision.
CREATE FUNCTION "bump_ivrs_revision"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "org_revisions" ("org_id", "resource", "rev")
    VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD."org_id" ELSE NEW."org_id" END, 'ivrs', 1)
    ON CONFLICT ("org_id", "resource") DO UPDATE SET "rev" = "org_revisions"."rev" + 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "ivrs_rev" AFTER INSERT OR UPDATE OR DELETE ON "ivrs" FOR EACH ROW EXECUTE FUNCTION "bump_ivrs_revision"();
--> statement-breakpoint
CREATE TRIGGER "ivr_menu_options_rev" AFTER INSERT OR UPDATE OR DELETE ON "ivr_menu_options" FOR EACH ROW EXECUTE FUNCTION "bump_ivrs_revision"();
