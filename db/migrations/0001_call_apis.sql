CREATE TABLE `call_log_feed` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`call_log_id` text NOT NULL,
	`org_id` text
);
--> statement-breakpoint
CREATE INDEX `call_log_feed_org_seq_idx` ON `call_log_feed` (`org_id`,`seq`);--> statement-breakpoint
CREATE TABLE `call_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`call_log_id` text NOT NULL,
	`disposition_id` text,
	`disposition` text,
	`note` text,
	`author_id` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `call_notes_call_idx` ON `call_notes` (`org_id`,`call_log_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `call_recordings` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`call_id` text NOT NULL,
	`path` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `call_recordings_call_idx` ON `call_recordings` (`org_id`,`call_id`);--> statement-breakpoint
CREATE TABLE `dispositions` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dispositions_org_name_uq` ON `dispositions` (`org_id`,`name`);--> statement-breakpoint
CREATE TABLE `masking_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`did` text NOT NULL,
	`first_phone` text,
	`second_phone` text,
	`first_masked` text NOT NULL,
	`second_masked` text NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`expires_at` text,
	`ended_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `masking_sessions_org_idx` ON `masking_sessions` (`org_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `outbound_calls` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`kind` text NOT NULL,
	`did` text NOT NULL,
	`ext_no` text,
	`first_number` text,
	`second_number` text,
	`intro` text,
	`status` text NOT NULL,
	`hangup_cause` text,
	`a_leg_uuid` text NOT NULL,
	`b_leg_uuid` text NOT NULL,
	`masking_session_id` text,
	`scheduled_at` integer,
	`timezone` text,
	`started_at` text,
	`answered_at` text,
	`bridged_at` text,
	`ended_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `outbound_calls_org_idx` ON `outbound_calls` (`org_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `outbound_calls_due_idx` ON `outbound_calls` (`status`,`scheduled_at`);--> statement-breakpoint
CREATE INDEX `outbound_calls_a_leg_idx` ON `outbound_calls` (`a_leg_uuid`);--> statement-breakpoint
CREATE TABLE `webhook_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`delivery_id` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`status_code` integer,
	`error` text,
	`duration_ms` integer NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`delivery_id`) REFERENCES `webhook_deliveries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_attempts_endpoint_idx` ON `webhook_attempts` (`endpoint_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `webhook_attempts_delivery_idx` ON `webhook_attempts` (`delivery_id`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`event_type` text NOT NULL,
	`body` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`delivered_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`endpoint_id`) REFERENCES `webhook_endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_endpoint_idx` ON `webhook_deliveries` (`endpoint_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhook_endpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`url` text NOT NULL,
	`secret` text NOT NULL,
	`events` text NOT NULL,
	`description` text,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_endpoints_org_idx` ON `webhook_endpoints` (`org_id`);