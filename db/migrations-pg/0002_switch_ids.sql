ALTER TABLE "call_logs" ADD COLUMN "switch_id" text;--> statement-breakpoint
ALTER TABLE "outbound_calls" ADD COLUMN "switch_id" text;