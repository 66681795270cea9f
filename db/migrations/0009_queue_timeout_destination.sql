-- Where a caller goes when a queue's max_wait_time passes with no agent free (an exit destination, as in
-- the IVR's timeout destination); null keeps the old behaviour: goodbye, outcome queue_timeout.
ALTER TABLE `queues` ADD `timeout_destination` text;
