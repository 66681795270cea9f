-- Where a call was when it ended (greeting, menu, ringing, talk, queue, bot, voicemail, prompt), beside its
-- outcome (src/calls/outcome.ts). Outcome words from before this migration are mapped to the one vocabulary.
ALTER TABLE `call_logs` ADD `left_at` text;--> statement-breakpoint
UPDATE `call_logs` SET `disposition` = CASE `disposition`
  WHEN 'extension' THEN 'connected' WHEN 'queue' THEN 'connected' WHEN 'external' THEN 'connected'
  WHEN 'masking' THEN 'connected' WHEN 'bridged' THEN 'connected' WHEN 'bot' THEN 'bot_completed'
  WHEN 'bot_unavailable' THEN 'bot_failed' WHEN 'callback' THEN 'callback_requested' WHEN 'hangup' THEN 'ended_by_ivr'
  WHEN 'loop_limit' THEN 'failed' WHEN 'not_bridged' THEN 'no_answer' ELSE `disposition` END
  WHERE `disposition` IS NOT NULL;
