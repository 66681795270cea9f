CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`permissions` text NOT NULL,
	`created_by` text,
	`created_at` text NOT NULL,
	`last_used_at` text,
	`revoked_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_uq` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_org_idx` ON `api_keys` (`org_id`);--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`sip_domain` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_sip_domain_unique` ON `organizations` (`sip_domain`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`password_hash` text NOT NULL,
	`role` text DEFAULT 'member' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_uq` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_org_idx` ON `users` (`org_id`);--> statement-breakpoint
CREATE TABLE `ai_agents` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`ws_url` text NOT NULL,
	`headers` text DEFAULT '{}' NOT NULL,
	`dialect` text DEFAULT 'native' NOT NULL,
	`audio_format` text DEFAULT 'l16_16k' NOT NULL,
	`system_prompt` text,
	`language` text DEFAULT 'en-IN' NOT NULL,
	`opening_text` text,
	`connect_timeout_ms` integer DEFAULT 3000 NOT NULL,
	`fallback_destination` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ai_agents_org_idx` ON `ai_agents` (`org_id`);--> statement-breakpoint
CREATE TABLE `did_history` (
	`id` text PRIMARY KEY NOT NULL,
	`did_id` text NOT NULL,
	`org_id` text,
	`action` text NOT NULL,
	`detail` text,
	`actor_user_id` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`did_id`) REFERENCES `dids`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `did_history_did_idx` ON `did_history` (`did_id`);--> statement-breakpoint
CREATE TABLE `dids` (
	`id` text PRIMARY KEY NOT NULL,
	`number` text NOT NULL,
	`org_id` text,
	`routing_type` text,
	`routing_destination` text,
	`description` text,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dids_number_uq` ON `dids` (`number`);--> statement-breakpoint
CREATE INDEX `dids_org_idx` ON `dids` (`org_id`);--> statement-breakpoint
CREATE TABLE `extensions` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`number` text NOT NULL,
	`name` text NOT NULL,
	`sip_password` text NOT NULL,
	`voicemail_enabled` integer DEFAULT true NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `extensions_org_number_uq` ON `extensions` (`org_id`,`number`);--> statement-breakpoint
CREATE TABLE `ivr_menu_options` (
	`id` text PRIMARY KEY NOT NULL,
	`ivr_id` text NOT NULL,
	`org_id` text NOT NULL,
	`digit` text NOT NULL,
	`action_type` text NOT NULL,
	`destination` text,
	`description` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`ivr_id`) REFERENCES `ivrs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ivr_menu_options_ivr_digit_uq` ON `ivr_menu_options` (`ivr_id`,`digit`);--> statement-breakpoint
CREATE INDEX `ivr_menu_options_org_idx` ON `ivr_menu_options` (`org_id`);--> statement-breakpoint
CREATE TABLE `ivrs` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`extension` text NOT NULL,
	`description` text,
	`greeting_prompt` text,
	`greeting_text` text,
	`greeting_language` text DEFAULT 'en-IN' NOT NULL,
	`greeting_voice` text DEFAULT 'en-IN-Wavenet-D' NOT NULL,
	`timeout` integer DEFAULT 10 NOT NULL,
	`inter_digit_timeout` integer DEFAULT 3 NOT NULL,
	`max_retries` integer DEFAULT 3 NOT NULL,
	`enable_direct_dial` integer DEFAULT false NOT NULL,
	`direct_dial_policy` text DEFAULT 'disabled' NOT NULL,
	`direct_dial_list` text DEFAULT '[]' NOT NULL,
	`timeout_prompt` text,
	`invalid_prompt` text,
	`timeout_destination` text,
	`invalid_destination` text,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ivrs_org_extension_uq` ON `ivrs` (`org_id`,`extension`);--> statement-breakpoint
CREATE INDEX `ivrs_org_idx` ON `ivrs` (`org_id`);--> statement-breakpoint
CREATE TABLE `queue_agents` (
	`queue_id` text NOT NULL,
	`extension_id` text NOT NULL,
	`level` integer DEFAULT 1 NOT NULL,
	`position` integer DEFAULT 1 NOT NULL,
	PRIMARY KEY(`queue_id`, `extension_id`),
	FOREIGN KEY (`queue_id`) REFERENCES `queues`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`extension_id`) REFERENCES `extensions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `queues` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`number` text NOT NULL,
	`name` text NOT NULL,
	`strategy` text DEFAULT 'longest-idle-agent' NOT NULL,
	`moh_sound` text DEFAULT 'local_stream://moh' NOT NULL,
	`max_wait_time` integer DEFAULT 300 NOT NULL,
	`tier_rules_apply` integer DEFAULT false NOT NULL,
	`discard_abandoned_after` integer DEFAULT 60 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `queues_org_number_uq` ON `queues` (`org_id`,`number`);--> statement-breakpoint
CREATE TABLE `config_snapshots` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`version` integer NOT NULL,
	`snapshot` text NOT NULL,
	`content_hash` text NOT NULL,
	`published_by` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `config_snapshots_org_version_uq` ON `config_snapshots` (`org_id`,`version`);--> statement-breakpoint
CREATE TABLE `live_dids` (
	`number` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`did_id` text NOT NULL,
	`routing_type` text NOT NULL,
	`routing_destination` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `live_dids_org_idx` ON `live_dids` (`org_id`);--> statement-breakpoint
CREATE TABLE `call_logs` (
	`id` text PRIMARY KEY NOT NULL,
	`call_uuid` text NOT NULL,
	`org_id` text,
	`direction` text DEFAULT 'inbound' NOT NULL,
	`did` text,
	`caller` text,
	`caller_name` text,
	`started_at` text NOT NULL,
	`answered_at` text,
	`ended_at` text,
	`duration_s` integer,
	`path` text DEFAULT '[]' NOT NULL,
	`dtmf` text DEFAULT '' NOT NULL,
	`disposition` text,
	`answered_by` text,
	`hangup_cause` text,
	`snapshot_version` integer,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `call_logs_org_started_idx` ON `call_logs` (`org_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `call_logs_uuid_idx` ON `call_logs` (`call_uuid`);--> statement-breakpoint
CREATE INDEX `call_logs_caller_idx` ON `call_logs` (`org_id`,`caller`);--> statement-breakpoint
CREATE TABLE `callback_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`call_uuid` text,
	`caller_number` text NOT NULL,
	`did` text,
	`ivr_id` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `callback_requests_org_idx` ON `callback_requests` (`org_id`,`created_at`);