ALTER TABLE `outbound_calls` ADD `spec` text;
