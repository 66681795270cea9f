CREATE TABLE `agents` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`user_id` text NOT NULL,
	`extension_id` text NOT NULL,
	`phone` text,
	`enabled` integer DEFAULT true NOT NULL,
	`expires_at` text,
	`disabled_reason` text,
	`caller_id_did_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`extension_id`) REFERENCES `extensions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`caller_id_did_id`) REFERENCES `dids`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agents_user_uq` ON `agents` (`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `agents_extension_uq` ON `agents` (`extension_id`);--> statement-breakpoint
CREATE INDEX `agents_org_idx` ON `agents` (`org_id`);--> statement-breakpoint
CREATE INDEX `agents_expiry_idx` ON `agents` (`enabled`,`expires_at`);