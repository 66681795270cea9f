-- Timeouts and invalid entries are counted separately, each against its own limit; null = max_retries.
ALTER TABLE `ivrs` ADD `timeout_retries` integer;--> statement-breakpoint
ALTER TABLE `ivrs` ADD `invalid_retries` integer;
