CREATE TABLE `bot_legs` (
	`id` text PRIMARY KEY NOT NULL,
	`call_id` text NOT NULL,
	`call_uuid` text NOT NULL,
	`org_id` text,
	`agent_id` text,
	`ws_url` text NOT NULL,
	`dialect` text NOT NULL,
	`stream_id` text NOT NULL,
	`started_at` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`dtmf` text DEFAULT '' NOT NULL,
	`end_reason` text NOT NULL,
	`end_detail` text,
	`transfer_target` text,
	`stats` text DEFAULT '{}' NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `bot_legs_call_idx` ON `bot_legs` (`call_id`);--> statement-breakpoint
CREATE INDEX `bot_legs_org_idx` ON `bot_legs` (`org_id`,`started_at`);