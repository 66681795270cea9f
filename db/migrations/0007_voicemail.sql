-- Voicemail recorded by the controller (FreeSWITCH `record`), and each extension's greeting text and rendered file.
CREATE TABLE `voicemail_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`extension` text NOT NULL,
	`call_log_id` text,
	`caller` text,
	`did` text,
	`path` text NOT NULL,
	`duration_ms` integer DEFAULT 0 NOT NULL,
	`heard` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `voicemail_messages_org_created_idx` ON `voicemail_messages` (`org_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `voicemail_messages_org_ext_created_idx` ON `voicemail_messages` (`org_id`,`extension`,`created_at`);--> statement-breakpoint
CREATE INDEX `voicemail_messages_call_idx` ON `voicemail_messages` (`call_log_id`);--> statement-breakpoint
ALTER TABLE `extensions` ADD `voicemail_greeting` text;--> statement-breakpoint
ALTER TABLE `extensions` ADD `voicemail_greeting_file` text;
