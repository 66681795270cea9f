-- Incremental sync: every call log that gets its ended_at is appended to call_log_feed (seq = cursor).
CREATE TRIGGER `call_logs_feed_insert` AFTER INSERT ON `call_logs` WHEN NEW.`ended_at` IS NOT NULL
BEGIN
  INSERT INTO `call_log_feed` (`call_log_id`, `org_id`) VALUES (NEW.`id`, NEW.`org_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `call_logs_feed_update` AFTER UPDATE OF `ended_at` ON `call_logs`
  WHEN NEW.`ended_at` IS NOT NULL AND OLD.`ended_at` IS NULL
BEGIN
  INSERT INTO `call_log_feed` (`call_log_id`, `org_id`) VALUES (NEW.`id`, NEW.`org_id`);
END;
--> statement-breakpoint
-- Listing by call type (click-to-call, masking logs) newest first; call_logs' own indexes cover org+time and org+caller.
CREATE INDEX IF NOT EXISTS `call_logs_org_type_started_idx` ON `call_logs` (`org_id`, `direction`, `started_at`);
