ALTER TABLE `call_logs` ADD `switch_id` text;--> statement-breakpoint
ALTER TABLE `outbound_calls` ADD `switch_id` text;