CREATE TABLE `campaign_numbers` (
	`id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`org_id` text NOT NULL,
	`number` text NOT NULL,
	`variables` text DEFAULT '{}' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer DEFAULT 0 NOT NULL,
	`last_call_id` text,
	`last_outcome` text,
	`answered` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_numbers_uq` ON `campaign_numbers` (`campaign_id`,`number`);--> statement-breakpoint
CREATE INDEX `campaign_numbers_due_idx` ON `campaign_numbers` (`campaign_id`,`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`did` text NOT NULL,
	`play` text NOT NULL,
	`concurrency` integer DEFAULT 1 NOT NULL,
	`window_start` text DEFAULT '09:00' NOT NULL,
	`window_end` text DEFAULT '18:00' NOT NULL,
	`days` text DEFAULT '[1,2,3,4,5]' NOT NULL,
	`timezone` text NOT NULL,
	`retry` text NOT NULL,
	`contact_list_id` text,
	`status` text DEFAULT 'paused' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaigns_org_name_uq` ON `campaigns` (`org_id`,`name`);--> statement-breakpoint
CREATE INDEX `campaigns_status_idx` ON `campaigns` (`status`);--> statement-breakpoint
CREATE TABLE `contact_list_members` (
	`list_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`list_id`, `contact_id`),
	FOREIGN KEY (`list_id`) REFERENCES `contact_lists`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `contact_lists` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contact_lists_org_name_uq` ON `contact_lists` (`org_id`,`name`);--> statement-breakpoint
CREATE TABLE `dnc_numbers` (
	`org_id` text NOT NULL,
	`number` text NOT NULL,
	`reason` text,
	`created_at` text NOT NULL,
	PRIMARY KEY(`org_id`, `number`),
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `outbound_calls` ADD `campaign_id` text;--> statement-breakpoint
ALTER TABLE `outbound_calls` ADD `campaign_number_id` text;--> statement-breakpoint
CREATE INDEX `outbound_calls_campaign_idx` ON `outbound_calls` (`campaign_id`,`created_at`);