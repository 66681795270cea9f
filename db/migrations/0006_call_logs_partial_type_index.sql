-- Inbound calls are the bulk of call_logs and are listed through call_logs_org_started_idx. The by-type
-- index serves the other types (click_to_call, masking), so it now holds only them: one index insert
-- less for every inbound call the controller logs. Queries for those types add `direction <> 'inbound'`
-- so the planner may use it.
DROP INDEX IF EXISTS `call_logs_org_type_started_idx`;--> statement-breakpoint
CREATE INDEX `call_logs_org_type_started_idx` ON `call_logs` (`org_id`,`direction`,`started_at`) WHERE `direction` <> 'inbound';
